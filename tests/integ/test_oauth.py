"""--oauth2-token-url: OAuth2 client credentials (RFC 6749 4.4) against a
real implementation, Debian's python3-oauthlib (tests/lab/oauth/server.py:
its BackendApplicationServer issues Bearer tokens to a client
authenticated with HTTP Basic; its ResourceEndpoint guards /api/*, and a
token is good for USES requests). The suite starts the server itself on
127.0.0.1 and reads its event log: grants issued, /api answers."""
import json
import os
import subprocess
import tempfile

from harness import TOP, check, done, report, skip, warden, start_listening

SERVER = os.path.join(TOP, "tests", "lab", "oauth", "server.py")
SPEC = os.path.join(TOP, "tests", "fixtures", "oauth", "openapi.json")
SECRET = "s3cr3t client/secret+x"  # '/', '+' and ' ' need form-encoding in Basic




def start(uses, state):
    # The lab server binds the port it is given: start_listening retries
    # when another process takes it first.
    return start_listening(lambda port: ["/usr/bin/python3", SERVER, str(port), "lab-client",
                                         SECRET, str(uses), state],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def events(state):
    if not os.path.exists(state):
        return []
    with open(state) as f:
        return [json.loads(line) for line in f if line.strip()]


tmp = tempfile.mkdtemp(prefix="warden-oauth-")
state = os.path.join(tmp, "events")
# Each token opens 2 requests: the scan's authenticated requests (the
# spec's 4 routes) outlive the first one, so the scan must fetch again.
proc, port = start(2, state)
if port is None:
    err = proc.stderr.read().decode()[-300:] if proc.stderr else ""
    skip("oauth2 client credentials", "the oauthlib lab did not start: %s" % err)
    done()
    raise SystemExit(0)
base = "http://127.0.0.1:%d" % port
opts = ["--oauth2-token-url", base + "/oauth/token", "--client-id", "lab-client",
        "--client-secret", SECRET, "--oauth2-scope", "read write"]
try:
    rc, out, err = warden("scan", "-f", "json", "--no-discovery", "--spec", SPEC, *opts, base + "/")
    doc = report(out, "scan with --oauth2-token-url", err)
    ev = events(state)
    grants = [e for e in ev if "grant" in e]
    ok = [e for e in ev if e.get("api") == "ok"]
    check("oauth2: the scan ran (complete, requests > 0)",
          doc.get("status") == "complete" and doc.get("requests", 0) > 0, (doc.get("status"), err[-300:]))
    # The lab's default scope is "read": "read write" comes only from
    # --oauth2-scope, form-encoded.
    check("oauth2: the token endpoint issued a token to the Basic-authenticated client, scope 'read write' as asked",
          len(grants) >= 1 and sorted(grants[0].get("scope", "").split()) == ["read", "write"], grants)
    check("oauth2: requests with the issued token were accepted by oauthlib's resource endpoint",
          len(ok) >= 2, len(ok))
    check("oauth2: the expired token was fetched again after a 401, and the report says so",
          len(grants) >= 2 and any("--oauth2-token-url: credential refreshed after a 401" in n
                                   for n in doc.get("notes", [])), (len(grants), doc.get("notes")))
    text = out + err
    leaked = [t["grant"][:6] + "..." for t in grants if t["grant"] in text]
    check("oauth2: neither the client secret nor any issued token is in the report or on stderr",
          SECRET not in text and "s3cr3t" not in text and not leaked, leaked)

    # A wrong secret: the endpoint answers 401 invalid_client; exit 2 before
    # any request to the target.
    before = len([e for e in events(state) if "api" in e])
    rc, out, err = warden("scan", "--no-discovery", "--oauth2-token-url", base + "/oauth/token",
                          "--client-id", "lab-client", "--client-secret", "wrong", base + "/api/items")
    after = len([e for e in events(state) if "api" in e])
    check("oauth2: a wrong client secret -> exit 2 naming the answer, no request to the API",
          rc == 2 and "answered 401" in err and "invalid_client" in err and after == before,
          (rc, err[-300:], before, after))
    rc, out, err = warden("scan", "--oauth2-token-url", base + "/oauth/token", "--client-id", "x",
                          base + "/")
    check("oauth2: --oauth2-token-url without --client-secret -> exit 2",
          rc == 2 and "go together" in err, (rc, err))
finally:
    proc.terminate()
    proc.wait(timeout=10)
done()
