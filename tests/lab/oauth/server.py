"""OAuth2 client-credentials lab (RFC 6749 4.4) on oauthlib, Debian's
python3-oauthlib: its BackendApplicationServer issues Bearer tokens at
/oauth/token to a client authenticated with HTTP Basic, and its
ResourceEndpoint guards /api/*. A token is good for USES authorized
requests, then refused with 401 (an expiry the scan meets mid-run).

    server.py PORT CLIENT_ID CLIENT_SECRET USES STATE_FILE

STATE_FILE gets one JSON line per event: {"grant": token} for each token
issued, {"api": "ok"|"refused"} for each /api request. Loopback only.
"""
import base64
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oauthlib.oauth2 import BackendApplicationServer, RequestValidator

PORT, CLIENT_ID, CLIENT_SECRET, USES, STATE = (int(sys.argv[1]), sys.argv[2], sys.argv[3],
                                               int(sys.argv[4]), sys.argv[5])
lock = threading.Lock()
tokens = {}  # token -> uses left


def record(ev):
    with lock, open(STATE, "a") as f:
        f.write(json.dumps(ev) + "\n")


class Validator(RequestValidator):
    def client_authentication_required(self, request, *a, **k):
        return True

    def authenticate_client(self, request, *a, **k):
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return False
        try:
            user, _, pw = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            return False
        from urllib.parse import unquote_plus
        if unquote_plus(user) != CLIENT_ID or unquote_plus(pw) != CLIENT_SECRET:
            return False
        request.client_id = CLIENT_ID
        request.client = type("Client", (), {"client_id": CLIENT_ID})()
        return True

    def validate_grant_type(self, client_id, grant_type, client, request, *a, **k):
        return grant_type == "client_credentials"

    def get_default_scopes(self, client_id, request, *a, **k):
        return ["read"]

    def validate_scopes(self, client_id, scopes, client, request, *a, **k):
        return set(scopes) <= {"read", "write"}

    def save_bearer_token(self, token, request, *a, **k):
        with lock:
            tokens[token["access_token"]] = USES
        record({"grant": token["access_token"], "scope": token.get("scope", "")})

    def validate_bearer_token(self, token, scopes, request):
        with lock:
            left = tokens.get(token, 0)
            if left <= 0:
                return False
            tokens[token] = left - 1
        request.scopes = ["read"]
        return True


server = BackendApplicationServer(Validator(), token_expires_in=3600)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def answer(self, status, headers, body):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        data = body.encode() if isinstance(body, str) else body
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode()
        if self.path != "/oauth/token":
            return self.answer(404, {"Content-Type": "application/json"}, '{"message":"Not Found"}')
        h, b, s = server.create_token_response("http://127.0.0.1:%d/oauth/token" % PORT, "POST",
                                               body, dict(self.headers))
        self.answer(s, h, b)

    def do_GET(self):
        if not self.path.startswith("/api/"):
            return self.answer(404, {"Content-Type": "application/json"}, '{"message":"Not Found"}')
        ok, _ = server.verify_request("http://127.0.0.1:%d%s" % (PORT, self.path), "GET", None,
                                      dict(self.headers), scopes=["read"])
        record({"api": "ok" if ok else "refused"})
        if not ok:
            return self.answer(401, {"Content-Type": "application/json",
                                     "WWW-Authenticate": 'Bearer error="invalid_token"'},
                               '{"error":"invalid_token"}')
        self.answer(200, {"Content-Type": "application/json"},
                    json.dumps({"items": [{"id": 1, "name": "widget"}]}))

    do_HEAD = do_GET


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
