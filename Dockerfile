# warden's container image: built from this repository in a first stage,
# shipped with only the runtime libraries in the second. Non-root (65532),
# no shell needed at run time; run it with a read-only root filesystem
# (deploy/kubernetes/ does).
#   docker build -t warden:0.1.0 .
#   docker run --rm --read-only warden:0.1.0 scan https://api.example.internal/

FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc meson ninja-build pkg-config \
      libcurl4-openssl-dev libssl-dev libpcre2-dev libjansson-dev \
      libyaml-dev libsqlite3-dev libpq-dev python3 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN rm -rf build-img \
 && meson setup build-img --buildtype=release -Dprefix=/usr/local \
 && ninja -C build-img warden \
 && install -D -m 0755 build-img/warden /out/usr/local/bin/warden

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4 libssl3 libpcre2-8-0 \
      libjansson4 libyaml-0-2 libsqlite3-0 libpq5 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /work && chown 65532:65532 /work
COPY --from=build /out/ /
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/warden"]
CMD ["--help"]
