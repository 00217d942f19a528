"""gunicorn settings for medsam-match.

Used by `medsam-match serve` and by the container image:
    gunicorn -c config/gunicorn.conf.py 'medsam_match.wsgi:app'
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
# The access log with the calendar keys in paths masked.
logger_class = "medsam_match.access_log.GunicornLogger"
# Forwarded headers (client address, scheme, host) are trusted by the
# application only, from as many proxies as MEDSAM_PROXY_HOPS says (Werkzeug's
# ProxyFix); gunicorn itself trusts none.
forwarded_allow_ips = os.environ.get("MEDSAM_FORWARDED_ALLOW_IPS", "")
# Request line and headers: bounded (gunicorn's defaults, said out loud).
limit_request_line = 4094
limit_request_fields = 100


def on_starting(server):  # noqa: ARG001  (gunicorn's hook signature)
    """Refuse to start without a usable secret key: one clear line, before
    any worker starts (each worker would otherwise fail the same way)."""
    from medsam_match.config import load_settings, require_secret_key

    require_secret_key(load_settings()["secret_key"])
