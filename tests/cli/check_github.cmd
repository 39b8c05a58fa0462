check --format github type_error.seg
