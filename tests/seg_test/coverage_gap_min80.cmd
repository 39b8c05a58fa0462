test --min-coverage 80 coverage_gap.seg
