"""The load test of issue 13: `python -m bench.load` (see bench/README.md)."""
