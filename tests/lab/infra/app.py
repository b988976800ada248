#!/usr/bin/python3
"""Lab service "infra": runtime/orchestration endpoints answering on the target.

Models what a scanner meets on a host that exposes its infrastructure next to
the app: kubelet read-only API, etcd v2, an anonymous Kubernetes API server,
Spring Boot actuator, plus an app route that prints Python tracebacks.
--mode vuln serves all of that; --mode hard registers only the app routes
(everything else is Flask's 404) and returns generic JSON errors.
Run with /usr/bin/python3 (Debian's python3-flask). See tests/lab/CONTRACT.md.
"""
import argparse
import json
import os
import sys
import threading

from flask import Flask, Response, jsonify, redirect, request
from werkzeug.serving import WSGIRequestHandler, make_server

OPENAPI = {
    "openapi": "3.0.3",
    "info": {"title": "warden lab: infra", "version": "1.0.0"},
    "paths": {
        "/api/v1/report": {
            "get": {
                "operationId": "getReportByQuery",
                "summary": "Get a report",
                "parameters": [{"name": "id", "in": "query", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "report"},
                              "400": {"description": "invalid id"}},
            }
        },
        "/api/v1/report/{id}": {
            "get": {
                "operationId": "getReport",
                "summary": "Get a report",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "report"},
                              "400": {"description": "invalid id"}},
            }
        },
    },
    "components": {"securitySchemes": {}},
    "security": [],
}

POD = {
    "metadata": {
        "name": "api-7d9f",
        "namespace": "default",
        "uid": "5c0e3f52-8d4b-4b7a-9a4e-2f1d6c8b7e90",
        "labels": {"app": "api", "pod-template-hash": "7d9f"},
        "creationTimestamp": "2024-05-11T08:14:03Z",
    },
    "spec": {
        "nodeName": "worker-1",
        "serviceAccountName": "default",
        "containers": [{
            "name": "api",
            "image": "registry.example.com/shop/api:1.4.2",
            "ports": [{"containerPort": 8080, "protocol": "TCP"}],
            "env": [{"name": "DB_HOST", "value": "postgres.default.svc.cluster.local"}],
            "volumeMounts": [{"name": "kube-api-access-x2kqp", "readOnly": True,
                              "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}],
        }],
    },
    "status": {"phase": "Running", "hostIP": "10.0.1.12", "podIP": "10.244.1.17",
               "startTime": "2024-05-11T08:14:03Z"},
}


def traceback_text(raw):
    """What the seed's debug error handler printed for a bad id."""
    return ("Traceback (most recent call last):\n"
            '  File "/app/app.py", line 41, in report\n'
            "    report_id = int(raw_id)\n"
            "ValueError: invalid literal for int() with base 10: %r\n" % (raw,))


def create_app(mode, tls):
    app = Flask(__name__)
    app.json.sort_keys = False  # keep the field order the real services use
    hard = mode == "hard"

    @app.after_request
    def hardened_headers(resp):
        if hard:
            resp.headers["X-Content-Type-Options"] = "nosniff"
            if tls:
                resp.headers["Strict-Transport-Security"] = "max-age=63072000"
        return resp

    @app.get("/openapi.json")
    def openapi():
        return jsonify(OPENAPI)

    def report_response(raw):
        try:
            report_id = int(raw)
        except (TypeError, ValueError):
            if hard:
                return jsonify(error="invalid id"), 400
            # VULNERABLE [leak.stack-trace]: the traceback goes to the client.
            return Response(traceback_text(raw), status=500, mimetype="text/plain")
        return jsonify(id=report_id, title="Quarterly report %d" % report_id, status="ready")

    @app.get("/api/v1/report")
    def report_query():
        return report_response(request.args.get("id", ""))

    @app.get("/api/v1/report/<raw_id>")
    def report(raw_id):
        return report_response(raw_id)

    if hard:
        @app.errorhandler(500)
        def internal_error(_e):
            return jsonify(error="internal error"), 500
        return app

    # ---- vuln only: infrastructure endpoints reachable on the target ----

    # VULNERABLE [endpoint.kubelet]: kubelet API (10250/10255) without auth.
    @app.get("/pods")
    def kubelet_pods():
        return jsonify(kind="PodList", apiVersion="v1", metadata={}, items=[POD])

    @app.get("/runningpods/")
    def kubelet_runningpods():
        running = {"metadata": {k: POD["metadata"][k] for k in ("name", "namespace", "uid")},
                   "spec": {"containers": [{"name": "api", "image": POD["spec"]["containers"][0]["image"],
                                            "resources": {}}]},
                   "status": {}}
        return jsonify(kind="PodList", apiVersion="v1", metadata={}, items=[running])

    # VULNERABLE [endpoint.etcd]: etcd client port without TLS client auth.
    @app.get("/v2/keys/")
    def etcd_keys():
        return jsonify(action="get", node={"dir": True, "nodes": [
            {"key": "/registry", "dir": True, "modifiedIndex": 4, "createdIndex": 4}]})

    @app.get("/version")
    def etcd_version():
        return jsonify(etcdserver="3.5.9", etcdcluster="3.5.0")

    # VULNERABLE [endpoint.k8s-api]: API server with anonymous auth and RBAC open.
    @app.get("/api")
    def k8s_api():
        return jsonify(kind="APIVersions", versions=["v1"], serverAddressByClientCIDRs=[
            {"clientCIDR": "0.0.0.0/0", "serverAddress": "10.0.1.10:6443"}])

    @app.get("/api/v1/namespaces")
    def k8s_namespaces():
        def ns(name, uid):
            return {"metadata": {"name": name, "uid": uid, "resourceVersion": "42",
                                 "creationTimestamp": "2024-05-01T10:00:00Z",
                                 "labels": {"kubernetes.io/metadata.name": name}},
                    "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
        return jsonify(kind="NamespaceList", apiVersion="v1", metadata={"resourceVersion": "1234"},
                       items=[ns("default", "8a1f0c2e-1b3d-4e5f-8a7b-9c0d1e2f3a4b"),
                              ns("kube-system", "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"),
                              ns("shop", "6f7e8d9c-0b1a-4c2d-9e3f-4a5b6c7d8e9f")])

    # VULNERABLE [endpoint.actuator]: Spring Boot actuator /env exposed.
    @app.get("/actuator/env")
    def actuator_env():
        body = {
            "activeProfiles": ["prod"],
            "propertySources": [
                {"name": "server.ports", "properties": {"local.server.port": {"value": 8080}}},
                {"name": "systemEnvironment", "properties": {
                    "JAVA_HOME": {"value": "/opt/java/openjdk", "origin": "System Environment Property \"JAVA_HOME\""},
                    "SPRING_DATASOURCE_URL": {"value": "jdbc:postgresql://10.0.3.7:5432/shop",
                                              "origin": "System Environment Property \"SPRING_DATASOURCE_URL\""},
                    "SPRING_DATASOURCE_PASSWORD": {"value": "******",
                                                   "origin": "System Environment Property \"SPRING_DATASOURCE_PASSWORD\""}}},
                {"name": "Config resource 'class path resource [application.properties]' via location 'optional:classpath:/'",
                 "properties": {"spring.application.name": {"value": "shop-api",
                                                            "origin": "class path resource [application.properties] - 1:25"}}},
            ],
        }
        return Response(json.dumps(body, separators=(",", ":")), mimetype="application/vnd.spring-boot.actuator.v3+json")

    return app


class QuietServerHeader(WSGIRequestHandler):
    """Hardened mode: no Werkzeug/Python version in the Server header."""

    def version_string(self):
        return "app"


def write_atomic(path, content):
    if not path:
        return
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as fh:
        fh.write(content)
    os.replace(tmp, path)


def url_host(host):
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return "[%s]" % host if ":" in host else host


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--addr", "-addr", default="127.0.0.1:0")
    ap.add_argument("--addr-file", "-addr-file", dest="addr_file", default="")
    ap.add_argument("--mode", "-mode", choices=("vuln", "hard"), default="vuln")
    ap.add_argument("--tls-cert", "-tls-cert", dest="tls_cert", default="")
    ap.add_argument("--tls-key", "-tls-key", dest="tls_key", default="")
    ap.add_argument("--redirect-addr-file", "-redirect-addr-file", dest="redirect_file", default="")
    args = ap.parse_args(argv)

    host, _, port = args.addr.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    tls = bool(args.tls_cert or args.tls_key)
    ssl_context = None
    if tls:
        import ssl
        ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if args.mode == "hard":
            ssl_context.minimum_version = ssl.TLSVersion.TLSv1_2
        ssl_context.load_cert_chain(args.tls_cert, args.tls_key)

    app = create_app(args.mode, tls)
    handler = QuietServerHeader if args.mode == "hard" else WSGIRequestHandler
    server = make_server(host, int(port), app, threaded=True, request_handler=handler)
    if ssl_context:
        # The TLS handshake happens in each connection's thread, not in the
        # accept loop (werkzeug's ssl_context= does it there, one at a
        # time): on a loaded machine, or with a client that stalls
        # mid-handshake (warden's TLS probes), serial handshakes held up
        # every other connection past a 30 s request timeout, and the
        # scan came out partial. As tests/lab/apis does.
        server.socket = ssl_context.wrap_socket(server.socket, server_side=True,
                                                do_handshake_on_connect=False)
        server.ssl_context = ssl_context
    bound_host = server.socket.getsockname()[0]
    url = "%s://%s:%d" % ("https" if tls else "http", url_host(bound_host), server.socket.getsockname()[1])

    if tls and args.redirect_file:
        redir = Flask("redirect")

        @redir.route("/", defaults={"path": ""}, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
        @redir.route("/<path:path>", methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
        def to_https(path):
            target = url + request.full_path if request.query_string else url + request.path
            resp = redirect(target, code=301)
            if args.mode == "hard":
                resp.headers["X-Content-Type-Options"] = "nosniff"
            return resp

        rserver = make_server(host, 0, redir, threaded=True, request_handler=handler)
        threading.Thread(target=rserver.serve_forever, daemon=True).start()
        write_atomic(args.redirect_file, "http://%s:%d" % (url_host(bound_host), rserver.socket.getsockname()[1]))

    write_atomic(args.addr_file, url)
    print("listening on %s (mode=%s)" % (url, args.mode), file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
