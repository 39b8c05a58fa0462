lint --color never --config data/lint-defaults.seg-lint.json ../lint/cases/SEG112_fires.seg --baseline data/no-such.segb
