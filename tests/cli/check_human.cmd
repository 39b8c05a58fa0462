check --color never type_error.seg
