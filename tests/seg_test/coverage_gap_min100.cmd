test --min-coverage 100 coverage_gap.seg
