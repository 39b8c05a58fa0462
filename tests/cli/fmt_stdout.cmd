fmt unformatted.seg
