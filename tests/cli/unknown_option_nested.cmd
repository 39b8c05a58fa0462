bench run data/cart.seg --input data/cart.ndjson --repat 2
