test --format json failing.seg
