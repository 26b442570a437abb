# Production image: gunicorn serves the app, whitenoise the static files.
# The same image runs the web server, the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=oia.settings.production \
    PIP_NO_CACHE_DIR=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 oia

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
# Hashed lock: every package and sub-dependency pinned, each file's hash checked.
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt

COPY --chown=oia:oia . .
# collectstatic needs settings to import; these placeholders are never used at run time.
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
    && SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py compilemessages --ignore ".venv/*"

RUN mkdir -p /app/media && chown oia:oia /app/media

USER oia
EXPOSE 8000
# gunicorn.conf.py (in /app) adds the redacting access log and request limits.
CMD ["gunicorn", "oia.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
