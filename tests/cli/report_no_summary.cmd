report --out ../report/data/no_summary
