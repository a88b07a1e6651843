# docgate production image: talks to the MongoDB named by MONGODB_URI (the embedded store is
# for laptops and tests, and is left out here).
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY gateway gateway
COPY schema_builder schema_builder
COPY rest_shim rest_shim
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.12-slim
RUN useradd --system --uid 10001 --home-dir /app docgate
COPY --from=build /install /usr/local
USER docgate
WORKDIR /app
ENV DOCGATE_HOST=0.0.0.0 \
    DOCGATE_PORT=3000 \
    PYTHONUNBUFFERED=1
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"DOCGATE_PORT\", \"3000\")}/healthz', timeout=2)"
# uvicorn with uvloop and httptools (from uvicorn[standard]), run by `docgate serve`.
CMD ["docgate", "serve"]
