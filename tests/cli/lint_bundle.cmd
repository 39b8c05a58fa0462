lint --color never data/compiled.segb
