report --out ../report/data/out
