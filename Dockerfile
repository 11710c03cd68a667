# Production image: uvicorn serves the web (ASGI: live boards hold event streams open) (whitenoise serves static files); the same image
# runs the Celery worker and beat with other commands (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# WeasyPrint lays out the printed boards with Pango; the Noto fonts print every script a
# dialogue may be written in (the slim image has no fonts at all, so CJK would be boxes).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

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
# The access log goes through studio/uvicorn_log.json, which redacts webhook tokens.
CMD ["uvicorn", "studio.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--workers", "3", "--proxy-headers", "--log-config", "studio/uvicorn_log.json"]
