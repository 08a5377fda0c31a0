"""What the tests and the benchmarks share: a simulated learner, the proxy config for 127.0.0.1,
the SQL count header."""
