# medsam-match: the API service with gunicorn. Mirrors `make run`:
# migrate on start, then serve. Configure with MEDSAM_* environment variables
# (at least MEDSAM_DATABASE_URL and MEDSAM_SECRET_KEY); see docs/operations.md.
# The image holds no secret key: without MEDSAM_SECRET_KEY (or
# MEDSAM_SECRET_KEY_FILE, e.g. a mounted secret) it refuses to start, saying so.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MEDSAM_DATA_DIR=/data \
    MEDSAM_BIND=0.0.0.0:8000

RUN useradd --system --create-home --home-dir /home/medsam --uid 10001 medsam \
    && mkdir -p /data && chown medsam /data && chmod 700 /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY medsam_match ./medsam_match
COPY solver ./solver
COPY api ./api
# The translations (gettext catalogues of the pages and of the messages),
# compiled as `make install` does; the .mo files are not kept in git.
RUN pip install "babel>=2.16" \
    && pybabel compile -d medsam_match/translations -D messages \
    && pybabel compile -d medsam_match/translations -D mail \
    && pip install .
# Read at run time from the working directory: settings and migrations.
COPY config ./config
COPY migrations ./migrations

USER medsam
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4).status == 200 else 1)"

# Migrations first (safe to repeat), then gunicorn with config/gunicorn.conf.py.
CMD ["sh", "-c", "medsam-match db upgrade && exec gunicorn -c config/gunicorn.conf.py 'medsam_match.wsgi:app'"]
