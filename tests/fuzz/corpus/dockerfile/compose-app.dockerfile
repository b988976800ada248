FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y docker.io && rm -rf /var/lib/apt/lists/*
COPY entrypoint.sh /
ENTRYPOINT ["/entrypoint.sh"]
