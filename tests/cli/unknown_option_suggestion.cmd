run data/cart.seg --outdir /tmp/seg-cli-golden --input data/cart.ndjson
