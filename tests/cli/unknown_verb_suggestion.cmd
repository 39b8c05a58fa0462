chek type_error.seg
