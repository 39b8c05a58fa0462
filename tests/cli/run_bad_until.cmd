run data/cart.seg --input data/cart.ndjson --out /tmp/seg-cli-golden --until yesterday
