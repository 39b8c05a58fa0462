diff data/cart.seg data/cart_dest.seg --input data/cart.ndjson --backend interp
