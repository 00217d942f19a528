"""gunicorn settings for medsam-match.

Used by `medsam-match serve` and by the container image:
    gunicorn -c config/gunicorn.conf.py 'medsam_match:create_app()'
Environment overrides: MEDSAM_BIND, MEDSAM_WORKERS, MEDSAM_THREADS, MEDSAM_TIMEOUT.
"""

import os

bind = os.environ.get("MEDSAM_BIND", "0.0.0.0:8000")
# Threads serve the I/O-bound API; solves run in the background, so a few
# workers are enough even on a small machine.
worker_class = "gthread"
workers = int(os.environ.get("MEDSAM_WORKERS", "2"))
threads = int(os.environ.get("MEDSAM_THREADS", "4"))
timeout = int(os.environ.get("MEDSAM_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
# Forwarded headers from a reverse proxy on the same host only.
forwarded_allow_ips = os.environ.get("MEDSAM_FORWARDED_ALLOW_IPS", "127.0.0.1")
