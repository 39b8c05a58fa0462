fmt --check --color never unformatted.seg
