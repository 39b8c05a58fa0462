report --out ../report/data/bad_measure
