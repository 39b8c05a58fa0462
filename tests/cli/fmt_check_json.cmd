fmt --check --format json unformatted.seg
