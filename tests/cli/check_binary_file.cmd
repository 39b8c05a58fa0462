check --color never data/binary.seg
