check --frobnicate type_error.seg
