lint --color never --config data/lint-two-errors.seg-lint.json data/cart.seg
