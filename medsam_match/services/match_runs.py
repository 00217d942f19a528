"""The runs service, by its old name: everything public of
`medsam_match.services.runs` (split by job: create, claim, execute, publish,
recover). New code imports from `medsam_match.services.runs`."""

from .runs import *  # noqa: F401,F403
from .runs import __all__  # noqa: F401
from .runs.signals import run_queued as wake_worker  # noqa: F401
