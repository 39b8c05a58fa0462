test --coverage ../../examples/retention
