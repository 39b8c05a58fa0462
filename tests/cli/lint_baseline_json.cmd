lint --color never --format json --config data/lint-defaults.seg-lint.json ../lint/cases/SEG112_fires.seg --baseline ../lint/cases/baseline/deployed.seg
