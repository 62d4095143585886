"""The benchmark harness: `bench/run` (see README, Benchmarks)."""
