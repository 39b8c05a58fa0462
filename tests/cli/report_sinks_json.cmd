report --out ../report/data/sinks/out --format json
