run data/cart.seg --input data/no-such-file.ndjson --out /tmp/seg-cli-golden
