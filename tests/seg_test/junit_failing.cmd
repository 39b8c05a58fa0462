test --format junit failing.seg
