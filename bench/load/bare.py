"""The reference: a bare Flask endpoint, served by the same gunicorn settings
(config/gunicorn.conf.py) as the service, and measured in the same run.

    gunicorn -c config/gunicorn.conf.py bench.load.bare:app
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/bare")
def bare() -> dict[str, str]:
    return {"status": "ok"}
