check --format json type_error.seg
