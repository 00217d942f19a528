"""Trusting a reverse proxy's forwarded headers, and only its.

With `proxy_hops = N` (MEDSAM_PROXY_HOPS), Werkzeug's ProxyFix takes the
client address, scheme, host, port and prefix from the last N entries of the
X-Forwarded-* headers, the ones the N proxies of this installation added.
With 0 (the default) they are ignored: the client address is the
connection's, so no client can pick its own address (and its own rate
limit) by sending X-Forwarded-For.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    hops = int(app.config.get("MEDSAM_PROXY_HOPS", 0))
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
