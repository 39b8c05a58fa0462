report --out ../report/data/sinks/out
