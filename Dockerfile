# Two Feet: one process on a SQLite file in /data, as an unprivileged user.
# The source stays in /opt/twofeet (an editable install) because the Alembic migrations live
# beside the package, in migrations/, and run on every start.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TWOFEET_DATABASE_URL=sqlite:////data/twofeet.db
# DejaVu Sans: the certificates' PDF font (any name prints; nothing is fetched at run time).
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/twofeet
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN pip install -e . \
    && useradd --system --uid 10001 --no-create-home twofeet \
    && mkdir /data && chown twofeet /data
USER twofeet
WORKDIR /data
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["twofeet", "serve", "--host", "0.0.0.0", "--port", "8000"]
