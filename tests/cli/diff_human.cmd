diff data/cart.seg data/cart_wide.seg --input data/cart.ndjson --backend interp
