check no/such/file.seg
