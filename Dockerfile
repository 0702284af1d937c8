# syntax=docker/dockerfile:1

# 1. Front end: GOV.UK Frontend styles, scripts, icons, manifest and service worker.
#    Node 24 is an LTS line (maintained to April 2028); 20 reached its end of life in April 2026.
FROM node:24-bookworm-slim AS pwa
WORKDIR /src/pwa
COPY pwa/package.json pwa/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY pwa/ ./
RUN node build.mjs

# 2. Python packages, built once into a virtualenv we copy across.
FROM python:3.11-slim AS python-deps
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
# Every package pinned with its hashes; then the app itself, adding nothing unpinned.
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml ./
COPY app/__init__.py app/__init__.py
RUN /opt/venv/bin/pip install --no-deps .
COPY app/ app/
COPY babel.cfg ./
RUN /opt/venv/bin/pybabel compile -d app/translations

# 3. Runtime: no compilers, no Node, an unprivileged user.
FROM python:3.11-slim AS runtime
ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MYPATHWAYS_ENV=production \
    MYPATHWAYS_ASSETS_DIR=/srv/app/pwa/dist
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --home /srv/app --shell /usr/sbin/nologin app
WORKDIR /srv/app
COPY --from=python-deps /opt/venv /opt/venv
COPY --from=python-deps /src/app ./app
COPY --from=pwa /src/pwa/dist ./pwa/dist
COPY alembic.ini ./
COPY migrations/ ./migrations/
RUN mkdir -p /srv/app/data && chown app:app /srv/app/data
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"]
CMD ["sh", "-c", "python -m app migrate && exec python -m app serve --host 0.0.0.0 --port 8000"]
