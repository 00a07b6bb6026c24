# syntax=docker/dockerfile:1
# Build stage: the locked dependencies, then the project, into a virtual environment.
# Python 3.11, the version the lock files are resolved for.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/zwfw-credit
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# Exactly the pins of the lock, each file checked against its hash (the Makefile's PIP_VERSION).
RUN pip install --quiet pip==26.3
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
# The project alone: nothing more is resolved or downloaded (the build backend is locked too).
COPY pyproject.toml README.md ./
COPY app ./app
COPY .ci/check_lock.py ./
RUN pip install --no-deps --no-build-isolation . && pip check && python check_lock.py requirements.lock

# Runtime stage: the virtual environment, the migrations and a non-root user.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
# The CJK font every PDF embeds (app/documents/fonts.py).
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-wqy-microhei \
  && rm -rf /var/lib/apt/lists/*
RUN groupadd --system zwfw && useradd --system --gid zwfw --home-dir /srv/zwfw-credit zwfw
WORKDIR /srv/zwfw-credit
COPY --from=build /opt/venv /opt/venv
COPY alembic.ini ./
COPY migrations ./migrations
RUN mkdir -p var && chown -R zwfw:zwfw var
USER zwfw
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
# `serve` applies the migrations, then runs uvicorn.
CMD ["zwfw-credit", "serve", "--host", "0.0.0.0", "--port", "8000"]
