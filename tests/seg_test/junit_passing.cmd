test --format junit passing.seg
