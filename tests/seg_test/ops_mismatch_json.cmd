test --format json ops_mismatch.seg
