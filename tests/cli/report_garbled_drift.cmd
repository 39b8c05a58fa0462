report --out ../report/data/garbled_drift --format json
