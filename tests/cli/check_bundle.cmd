check --color never data/compiled.segb
