"""The use cases: plain functions taking the caller's `Principal` and validated
data, doing the work, committing once and raising `medsam_match.errors`."""
