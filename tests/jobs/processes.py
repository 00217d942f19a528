"""Looking at the worker processes the Celery tests start (Linux /proc)."""

from __future__ import annotations

import re
from pathlib import Path


def parent_of(pid: int) -> int | None:
    """The process's parent id, or None when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^PPid:\s+(\d+)", status, re.M)
    return int(match[1]) if match else None
