# The production image: gunicorn serving Django, whitenoise serving the static files.
# The same image runs the web, the Celery worker and beat (see docker-compose.yml).

# --- Stage 1: GOV.UK Frontend compiled with our brand ------------------------------------
FROM node:20-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY assets/ assets/
RUN npm run build

# --- Stage 2: the portal -------------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango and its fonts render the PDFs (WeasyPrint).
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 portal
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN pip install .

COPY . .
COPY --from=assets /src/static/build/ static/build/

# collectstatic only reads files: it needs a key to import the settings, never the real one.
RUN DEBUG=false SECRET_KEY=collectstatic-only-not-a-secret ALLOWED_HOSTS=build \
        python manage.py collectstatic --no-input \
    && mkdir -p var/media var/celery/queue var/celery/processed var/celery/control \
    && chown -R portal:portal var

USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "30", "--access-logfile", "-", "--error-logfile", "-"]
