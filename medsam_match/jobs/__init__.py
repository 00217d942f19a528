"""Background work: solving match runs in a separate process, the run worker,
and the nightly planning schedule."""
