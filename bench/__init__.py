"""Benchmarks of the solver: generated scenarios at four sizes, the SMPTSP
instances of Krishnamoorthy, Ernst & Baatar (2012), and a repair case.

Run them from the repository root, e.g. `python -m bench.sizes`; see
bench/README.md.
"""
