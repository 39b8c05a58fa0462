explain data/cart.seg --input data/cart.ndjson --profile nobody
