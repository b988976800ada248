"""Authenticated scans with Bearer JWTs (the Echo seed): the token decoded
offline (no exp, long lifetime, sensitive claims, weak HS256 secret), forged
variants replayed read-only (alg none, stripped signature, foreign aud/iss,
expired), the token in the query, the low-privilege token on the admin
route, and path traversal on the file routes. The hardened twin, scanned
with its own valid tokens, must have none of those. Tokens are never
printed in full."""
import base64
import json
import os
import time

from harness import LAB, check, clean, done, how, lab_url, ran, rules, scan_json, warden

RUN = os.path.join(LAB, "run")


def token_file(instance, as2=False):
    return os.path.join(RUN, instance + (".token-as2" if as2 else ".token"))


def read_token(path):
    with open(path) as f:
        return f.read().strip()


OURS = ("jwt.", "traversal.", "bfla.")

# ---- vulnerable twin -----------------------------------------------------
want = ["auth.credential-over-http", "bfla.scope-not-enforced", "container.host-file",
        "fingerprint.framework", "jwt.alg-none-accepted", "jwt.aud-not-verified",
        "jwt.exp-not-verified", "jwt.iss-not-verified", "jwt.long-lifetime", "jwt.no-exp",
        "jwt.sensitive-claims", "jwt.signature-not-verified", "jwt.token-in-query",
        "jwt.weak-secret", "transport.no-https", "transport.no-nosniff", "traversal.path"]
tok = read_token(token_file("echojwt-vuln"))
tok2 = read_token(token_file("echojwt-vuln", True))
url = lab_url("echojwt-vuln")
rc, doc, err = scan_json(url, "--bearer", "@" + token_file("echojwt-vuln"),
                         "--as2", "bearer:@" + token_file("echojwt-vuln", True))
got = rules(doc)
check("echojwt-vuln with tokens: exact rule ids", got == sorted(want),
      "missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))),
      raises=want)
check("echojwt-vuln: exit 1", rc == 1, (rc, err))
by_rule = {}
for f in doc["findings"]:
    by_rule.setdefault(f["rule"], []).append(f)


def urls(rule):
    return [f["location"]["url"] for f in by_rule.get(rule, [])]


check("stripped signature accepted only on the legacy group",
      urls("jwt.signature-not-verified") and
      all("/api/v2/legacy/" in u for u in urls("jwt.signature-not-verified")),
      urls("jwt.signature-not-verified"))
check("scope not enforced on the admin route",
      any(u.endswith("/api/v1/admin/stats") for u in urls("bfla.scope-not-enforced")))
check("traversal found on both file routes",
      any("/api/v1/files/" in u for u in urls("traversal.path")) and
      any("/api/v1/download?" in u for u in urls("traversal.path")), urls("traversal.path"))
token_urls = [u for r in ("jwt.no-exp", "jwt.weak-secret", "jwt.sensitive-claims") for u in urls(r)]
check("token findings sit at the target URL",
      len(token_urls) >= 3 and all(u.rstrip("/") == url for u in token_urls), token_urls)
check("one weak-secret finding for two tokens signed with one secret",
      len(by_rule.get("jwt.weak-secret", [])) == 1)
check("the cracked secret is not printed", ran(doc) and "changeme" not in str(doc), how(doc))
check("no claim value printed",
      ran(doc) and "s3cr3t-pass" not in str(doc) and "alice@example.com" not in str(doc), how(doc))
check("the tokens are never printed in full (JSON)",
      ran(doc) and tok not in str(doc) and tok2 not in str(doc), how(doc))
check("the token in the query is masked in the finding URL",
      all(tok not in u for u in urls("jwt.token-in-query")) and urls("jwt.token-in-query"))

# Terminal report; the raw token must not occur in stdout or stderr.
rc, out, err = warden("scan", "--no-color", "--bearer", "@" + token_file("echojwt-vuln"),
                      "--as2", "bearer:@" + token_file("echojwt-vuln", True), url)
check("terminal scan names the forged-token rules",
      rc == 1 and "jwt.alg-none-accepted" in out and "traversal.path" in out, rc)
check("the tokens are never printed in full (terminal)",
      "jwt.weak-secret" in out and tok not in out and tok not in err and tok2 not in out and tok2 not in err)

# Token from the environment; no --as2: no bfla finding.
os.environ["WARDEN_TEST_JWT"] = tok
rc, doc, err = scan_json(url, "--bearer", "env:WARDEN_TEST_JWT")
check("--bearer env:NAME works, no bfla without --as2",
      "jwt.alg-none-accepted" in rules(doc) and "bfla.scope-not-enforced" not in rules(doc),
      rules(doc))
check("no --as2 and no --cert: bfla is not tested (null, listed)",
      "bfla" in doc.get("score", {}).get("not_tested", []) and
      doc["score"]["categories"].get("bfla", 0) is None, doc.get("score"))

# An unsigned token (alg none, empty signature) in use: the issuer does not
# sign. Decoded offline, so the finding does not depend on the server.
def b64(d):
    return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()


none_tok = b64({"alg": "none", "typ": "JWT"}) + "." + b64({"sub": "alice", "exp": int(time.time()) + 600}) + "."
rc, doc, err = scan_json(url, "--bearer", none_tok)
check("unsigned (alg none) bearer token: jwt.unsigned-token",
      "jwt.unsigned-token" in rules(doc), rules(doc), raises=["jwt.unsigned-token"])
check("unsigned bearer token: not printed in full", ran(doc) and none_tok not in str(doc), how(doc))

# --jwt-wordlist: an unreadable file is a usage error.
rc, out, err = warden("scan", "--bearer", tok, "--jwt-wordlist", "/nonexistent/words", url)
check("--jwt-wordlist unreadable: exit 2 naming the file",
      rc == 2 and "/nonexistent/words" in err, (rc, err))

# ---- hardened twin -------------------------------------------------------
hurl = lab_url("echojwt-hard")
htok = read_token(token_file("echojwt-hard"))
rc, doc, err = scan_json(hurl, "--bearer", "@" + token_file("echojwt-hard"),
                         "--as2", "bearer:@" + token_file("echojwt-hard", True))
got = rules(doc)
clean("echojwt-hard with its tokens: none of the jwt/traversal/bfla rules", doc,
      [r for r in got if r.startswith(OURS)])
clean("echojwt-hard with its tokens: only the fingerprint", doc, got, ["fingerprint.framework"])
check("echojwt-hard: exit 0", rc == 0, (rc, err))
# --as2 on a witness admin route: the scope rule ran and passed, so bfla
# is tested (100) although nothing was found.
check("echojwt-hard with --as2: bfla tested, 100",
      "bfla" in doc.get("score", {}).get("tested", []) and
      doc.get("score", {}).get("categories", {}).get("bfla") == 100, doc.get("score"))
check("echojwt-hard: the token is not printed", ran(doc) and htok not in str(doc), how(doc))
# A wordlist that does not hold the random secret changes nothing.
words = os.path.join(RUN, "echojwt-words.txt")
with open(words, "w") as f:
    f.write("notit\nalso-not-it\n" + "x" * 1000 + "\n")
rc, doc, err = scan_json(hurl, "--bearer", htok, "--jwt-wordlist", words)
check("echojwt-hard with --jwt-wordlist: no weak secret",
      ran(doc) and "jwt.weak-secret" not in rules(doc), (rules(doc), how(doc)))

# ---- malformed tokens: exit 2, one clear line, token not echoed -----------
bad = [("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln!!", "signature"),
       ("e30.e30.", "alg"),
       ("bm90LWpzb24.eyJzdWIiOiJ4In0.c2ln", "header"),
       ("eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24.c2ln", "payload")]
for t, needle in bad:
    rc, out, err = warden("scan", "--bearer", t, url)
    lines = [l for l in err.splitlines() if l.strip()]
    check("malformed --bearer (%s): exit 2, one line" % needle,
          rc == 2 and len(lines) == 1 and lines[0].startswith("warden: --bearer:") and
          needle in lines[0] and t not in err, (rc, err))
rc, out, err = warden("scan", "--bearer", tok, "--as2", "bearer:a.b.c", url)
check("malformed --as2 bearer: exit 2 naming --as2", rc == 2 and "--as2" in err, (rc, err))
# An opaque (non-JWT) bearer token is not an error.
rc, doc, err = scan_json(url, "--bearer", "opaque-token-value-1234")
check("opaque bearer token: scans, no jwt token findings",
      rc in (0, 1) and ran(doc)
      and not [r for r in rules(doc) if r in ("jwt.no-exp", "jwt.weak-secret")],
      (rc, rules(doc), how(doc)))
done()
