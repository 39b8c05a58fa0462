check --format xml type_error.seg
