diff data/cart.seg data/cart_dest.seg
