# Production image: gunicorn serves the web (whitenoise serves static files); the same image
# runs the Celery worker and beat with other commands (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml constraints.txt ./
COPY studio ./studio
COPY projects ./projects
COPY providers ./providers
RUN pip install -c constraints.txt .

COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --no-input \
    && useradd --system --home /app studio && mkdir -p /data/media /data/previz-jobs \
    && chown studio /data/media /data/previz-jobs
USER studio

EXPOSE 8000
# Bind, workers and the access log (webhook tokens redacted) are in studio/gunicorn_conf.py.
CMD ["gunicorn", "--config", "python:studio.gunicorn_conf", "studio.wsgi:application"]
