test --format json --coverage coverage_gap.seg
