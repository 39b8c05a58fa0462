check --format sarif type_error.seg
