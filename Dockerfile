# Build: docker build -t sokbo .
# Run:   docker run -v sokbo-data:/data -v "$PWD/config.toml:/config/config.toml:ro" sokbo
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
RUN cargo build --release --locked --bin sokbo

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data sokbo \
 && mkdir -p /data /config && chown sokbo /data
COPY --from=build /src/target/release/sokbo /usr/local/bin/sokbo
COPY config.toml.example /config/config.toml.example
COPY examples /srv/examples
USER sokbo
VOLUME ["/data"]
ENV SOKBO_CONFIG=/config/config.toml \
    SOKBO_DATA_DIR=/data
# Asks the bot's own /healthz (needs a [server] section in the config; the image has no curl).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["sokbo", "health", "--timeout", "5s"]
ENTRYPOINT ["sokbo"]
CMD ["run"]
