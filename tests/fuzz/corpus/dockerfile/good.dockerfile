# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
USER root
RUN --mount=type=secret,id=netrc go build -o /out/app ./cmd/app
COPY <<EOF /etc/app.conf
listen = ":8080"
EOF
RUN <<-SCRIPT bash
	echo "curl is mentioned | but not piped" > /dev/null
	SCRIPT

FROM gcr.io/distroless/static-debian12 AS runtime
ARG VERSION=1.0
ENV APP_VERSION=${VERSION} \
    PASSWORD_FILE=/run/secrets/db
ADD --chown=10001 config/ /etc/app/
COPY --from=build /out/app /app
USER 10001:10001
ENTRYPOINT ["/app"]
