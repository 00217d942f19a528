"""WSGI entry for gunicorn: `gunicorn -c config/gunicorn.conf.py 'medsam_match.wsgi:app'`."""

from .served import served_app

app = served_app()
