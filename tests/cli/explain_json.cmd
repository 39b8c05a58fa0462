explain data/cart.seg --input data/cart.ndjson --profile c03 --at 2026-03-01T14:00:00Z --format json
