"""court-tui benchmarks: each row a ratio against a baseline measured in the same run."""
