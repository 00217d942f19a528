"""Peer optimisers solving the same scenarios as `solver.solve`, for
`python -m bench.peers` (see bench/README.md). Optional: nothing here is a
test or runtime dependency."""
