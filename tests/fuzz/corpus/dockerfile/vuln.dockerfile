# syntax=docker/dockerfile:1
ARG BASE=debian:bookworm
FROM golang:1.22 AS builder
USER app
RUN go build ./...

FROM ${BASE}
ARG GITHUB_TOKEN
ENV DB_PASSWORD=hunter2-prod-secret
ENV LOG_LEVEL=debug
ADD https://example.com/tool.tar.gz /opt/
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
      # the client for the build jobs
      docker-ce-cli=5:24.0.7-1~debian.12~bookworm \
      sudo
RUN --security=insecure mount -t tmpfs none /mnt
RUN set -eux; \
    curl -fsSL https://get.example.com/install.sh \
      | sudo bash -s -- --prefix /usr/local
RUN <<EOF
set -e
wget -qO- https://example.org/setup | sh
EOF
USER root
CMD ["/usr/local/bin/app"]
