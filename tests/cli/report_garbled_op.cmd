report --out ../report/data/garbled_op
