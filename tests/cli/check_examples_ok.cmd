check ../../examples/retention
