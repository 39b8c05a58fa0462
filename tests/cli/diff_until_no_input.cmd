diff data/cart.seg data/cart_dest.seg --until 2026-03-05T00:00:00Z
