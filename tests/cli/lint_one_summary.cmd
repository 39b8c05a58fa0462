lint --color never --config data/lint-defaults.seg-lint.json ../lint/cases/SEG100_fires.seg
