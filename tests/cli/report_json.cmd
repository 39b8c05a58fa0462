report --out ../report/data/out --format json
