"""Echo's own authentication middleware (labstack/echo v4 middleware.JWT
and middleware.KeyAuth, tests/lab/echomw): a request without a credential
gets 400 {"message":"missing or malformed jwt"}, not 401. Refusal is judged
by comparison, so those routes are witnesses and the forged-token tests
run: the vulnerable configuration (alg none through a keyfunc that hands
out a key for any alg, claims never validated, scope ignored, the API key
also read from ?api_key=) is flagged with exact rule ids, the hardened
twin with none. -v says why each route was or was not taken."""
import os

from harness import LAB, check, clean, done, how, lab_url, ran, rules, scan_json, warden

RUN = os.path.join(LAB, "run")


def read(name):
    with open(os.path.join(RUN, name)) as f:
        return f.read().strip()


# ---- vulnerable: bearer tokens --------------------------------------------
url = lab_url("echomw-vuln")
tok = read("echomw-vuln.token")
tok2 = read("echomw-vuln.token-as2")
rc, doc, err = scan_json(url, "-v", "--bearer", "@" + os.path.join(RUN, "echomw-vuln.token"),
                         "--as2", "bearer:@" + os.path.join(RUN, "echomw-vuln.token-as2"))
# alg none: the KeyAuth validator on /api/v2; aud/iss/exp: both groups
# (Valid() returns nil on /api/v1, WithoutClaimsValidation on /api/v2), the
# weak secret "changeme", the admin route without a scope check, the
# credential taken over plain HTTP; the rest is the plain-HTTP lab.
want = ["auth.credential-over-http", "bfla.scope-not-enforced", "fingerprint.framework",
        "jwt.alg-none-accepted", "jwt.aud-not-verified", "jwt.exp-not-verified",
        "jwt.iss-not-verified", "jwt.weak-secret", "transport.no-https", "transport.no-nosniff"]
got = rules(doc)
check("echomw-vuln (Echo middleware.JWT, 400 without a token): exact rule ids",
      got == sorted(want),
      "missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))),
      raises=want)
check("echomw-vuln: the scan ran", ran(doc), doc.get("status"))
by = {}
for f in doc["findings"]:
    by.setdefault(f["rule"], []).append(f)
check("alg none accepted on the KeyAuth group only",
      [f["location"]["url"].endswith("/api/v2/account") for f in by.get("jwt.alg-none-accepted", [])] == [True],
      [f["location"]["url"] for f in by.get("jwt.alg-none-accepted", [])])
check("the evidence shows Echo's 400 refusal",
      all("no credential -> 400" in f["evidence"] for f in by.get("jwt.alg-none-accepted", [])))
check("-v: the 400 routes are witnesses, with the reason",
      "witness: %s/api/v1/profile" % url in err and "HTTP 400, JSON error body" in err, err[-600:])
check("-v: the key route is not a witness for a bearer token, and says why",
      "witness? %s/api/k/summary: no: the credential gets HTTP 400" % url in err, err[-600:])
check("tokens never printed",
      ran(doc) and tok not in str(doc) + err and tok2 not in str(doc) + err, how(doc))

# Without -v, no debug lines.
rc, doc, err = scan_json(url, "--bearer", tok)
check("no debug lines without -v", "debug:" not in err and "jwt.alg-none-accepted" in rules(doc),
      err[-300:])

# ---- vulnerable: RS256 token, key published as a JWKS ----------------------
rs = read("echomw-vuln.rs-token")
rc, doc, err = scan_json(url, "-v", "--bearer", "@" + os.path.join(RUN, "echomw-vuln.rs-token"))
# /api/v3's keyfunc: the RSA key's PEM as the HMAC secret (key confusion)
# and the file kid names (../ to /dev/null: the empty key).
want = ["auth.credential-over-http", "fingerprint.framework", "jwt.key-confusion",
        "jwt.kid-path-traversal", "transport.no-https", "transport.no-nosniff"]
got = rules(doc)
check("echomw-vuln with an RS256 token: exact rule ids", got == sorted(want) and ran(doc),
      "missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))),
      raises=want)
kc = [f for f in doc["findings"] if f["rule"] == "jwt.key-confusion"]
check("key confusion: the PEM form, on /api/v3",
      kc and "PEM" in kc[0]["evidence"] and kc[0]["location"]["url"].endswith("/api/v3/orders"),
      [f["evidence"] for f in kc])
check("RS256 scan ran, the token is not printed", ran(doc) and rs not in str(doc) + err)
check("read-only: no jku token without --active",
      ran(doc) and "jku" not in str(doc) + err, [f["rule"] for f in doc["findings"]])

# --active adds the jku and x5u tests: /api/v3's keyfunc takes the key from
# the JWK Set the token's jku names, or from the certificate its x5u names
# (warden's listener serves both, with its own key): accepted. /api/v4's
# keyfunc fetches jku and x5u "to warm a cache" and then verifies with the
# pinned key: refused, but fetched (SSRF), once per header.
rc, doc, err = scan_json(url, "--active", "--bearer", "@" + os.path.join(RUN, "echomw-vuln.rs-token"))
want_active = sorted(want + ["jwt.jku-accepted", "jwt.x5u-accepted", "jwt.key-url-fetched"])
got = rules(doc)
check("echomw-vuln, RS256 token, --active: exact rule ids (jku/x5u accepted, fetched)",
      got == want_active and ran(doc),
      "missing %s, unexpected %s" % (sorted(set(want_active) - set(got)), sorted(set(got) - set(want_active))),
      raises=["jwt.jku-accepted", "jwt.x5u-accepted", "jwt.key-url-fetched"])
by = {}
for f in doc.get("findings", []):
    by.setdefault(f["rule"], []).append(f)
check("jku and x5u accepted on /api/v3 (and fetched), fetched-only on /api/v4 (one per header, by Go's HTTP client)",
      [f["location"]["url"].endswith("/api/v3/orders") and "fetched the jku URL" in f["evidence"]
       for f in by.get("jwt.jku-accepted", [])] == [True] and
      [f["location"]["url"].endswith("/api/v3/orders") and "fetched the x5u URL" in f["evidence"]
       for f in by.get("jwt.x5u-accepted", [])] == [True] and
      sorted(f["evidence"].split(" ")[3] for f in by.get("jwt.key-url-fetched", [])
             if f["location"]["url"].endswith("/api/v4/invoices") and "Go-http-client" in f["evidence"])
      == ["jku", "x5u"] and len(by.get("jwt.key-url-fetched", [])) == 2,
      [(f["rule"], f["location"]["url"], f["evidence"]) for f in doc.get("findings", [])
       if f["rule"] in ("jwt.jku-accepted", "jwt.x5u-accepted", "jwt.key-url-fetched")])
check("--active: the RS256 token is not printed", ran(doc) and rs not in str(doc) + err)

# ---- vulnerable: API key ---------------------------------------------------
key = read("echomw-vuln.key")
rc, doc, err = scan_json(url, "--api-key", "X-API-Key=" + key)
want = ["auth.credential-over-http", "auth.key-in-query", "fingerprint.framework",
        "transport.no-https", "transport.no-nosniff"]
got = rules(doc)
check("echomw-vuln (Echo middleware.KeyAuth) with the key: exact rule ids", got == sorted(want),
      "missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))),
      raises=want)
kq = [f for f in doc["findings"] if f["rule"] == "auth.key-in-query"]
check("key-in-query names the parameter that worked (api_key)",
      kq and "?api_key=..." in kq[0]["evidence"] and "?api_key=" in kq[0]["location"]["url"],
      [f["evidence"] for f in kq])
check("the key is masked everywhere", ran(doc) and key not in str(doc) and key not in err, how(doc))

# ---- hardened twin ----------------------------------------------------------
hurl = lab_url("echomw-hard")
htok = read("echomw-hard.token")
rc, doc, err = scan_json(hurl, "-v", "--bearer", "@" + os.path.join(RUN, "echomw-hard.token"),
                         "--as2", "bearer:@" + os.path.join(RUN, "echomw-hard.token-as2"))
clean("echomw-hard with its tokens: only the fingerprint", doc, rules(doc), ["fingerprint.framework"])
check("echomw-hard: the scan ran and the forged tokens were sent",
      ran(doc) and "witness: %s/api/v2/account" % hurl in err, (doc.get("status"), err[-400:]))
check("echomw-hard: exit 0", rc == 0, (rc, err[-300:]))
rc, doc, err = scan_json(hurl, "-v", "--bearer", "@" + os.path.join(RUN, "echomw-hard.rs-token"))
check("echomw-hard with an RS256 token (RS256 pinned, kid in a map): only the fingerprint",
      rules(doc) == ["fingerprint.framework"] and ran(doc) and
      "witness: %s/api/v3/orders" % hurl in err, (rules(doc), err[-300:]))
rc, doc, err = scan_json(hurl, "-v", "--active", "--bearer", "@" + os.path.join(RUN, "echomw-hard.rs-token"))
check("echomw-hard, RS256 token, --active (jku/x5u never read): only the fingerprint",
      rules(doc) == ["fingerprint.framework"] and ran(doc) and
      "witness: %s/api/v4/invoices" % hurl in err, (rules(doc), err[-300:]))
rc, doc, err = scan_json(hurl, "--api-key", "X-API-Key=" + read("echomw-hard.key"))
clean("echomw-hard with its key: only the fingerprint", doc, rules(doc), ["fingerprint.framework"])
# ---- --auth-cmd: a token that expires mid-scan -------------------------------
# The command prints a stale token on its first run and the service's real
# one afterwards: the first authenticated requests get 401, warden runs it
# again (once), resends them, and the routes open.
import tempfile  # noqa: E402
tmp = tempfile.mkdtemp()
counter = os.path.join(tmp, "runs")


def stale_first(name, token_file):
    """A script that prints a stale token on its first run and the
    service's token_file afterwards, counting its runs in counter."""
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\nn=$(cat %s 2>/dev/null || echo 0); echo $((n+1)) > %s\n"
                "if [ \"$n\" = 0 ]; then echo 'Authorization: Bearer stale-token-0000'; "
                "else echo \"Authorization: Bearer $(cat %s)\"; fi\n"
                % (counter, counter, os.path.join(RUN, token_file)))
    os.chmod(path, 0o755)
    return path


script = stale_first("token.sh", "echomw-vuln.token")
rc, doc, err = scan_json(url, "-v", "--auth-cmd", script)
with open(counter) as f:
    runs = int(f.read().strip())
check("--auth-cmd: refreshed once after a 401, and said so",
      runs == 2 and any("--auth-cmd: credential refreshed after a 401" in n for n in doc.get("notes", [])),
      (runs, doc.get("notes")))
check("--auth-cmd: the resent requests opened the routes (witnesses, findings)",
      "witness: %s/api/v2/account" % url in err and "auth.credential-over-http" in rules(doc) and ran(doc),
      (rules(doc), err[-300:]))
check("--auth-cmd: the credential is masked", tok not in str(doc) + err)
# The forged-token tests use the token the server accepts after the
# refresh, even when the first value was not a JWT at all: with the RS256
# token behind a stale first answer, --active finds what it finds with the
# RS256 token given directly (want_active, above).
rs_script = stale_first("rs-token.sh", "echomw-vuln.rs-token")
with open(counter, "w") as f:
    f.write("0")
rc, doc, err = scan_json(url, "--active", "--auth-cmd", rs_script)
got = rules(doc)
check("--auth-cmd, stale first then the RS256 token, --active: the same rule ids as the token given directly",
      got == want_active and ran(doc),
      "missing %s, unexpected %s" % (sorted(set(want_active) - set(got)), sorted(set(got) - set(want_active))))

# Several targets: one refresh serves them all. Both targets start with the
# stale token; the first 401 runs the command again, and the other target
# takes the refreshed value instead of running it a third time.
import json  # noqa: E402
with open(counter, "w") as f:
    f.write("0")
url2 = url + "/api/v2/"
rc, out, err = warden("scan", "-q", "-f", "json", "--parallel", "2", "--auth-cmd", script, url, url2)
try:
    multi = json.loads(out)
    reps = {r["target"]: r for r in multi["reports"]}
except (ValueError, KeyError, TypeError):
    multi, reps = None, {}
with open(counter) as f:
    runs = int(f.read().strip())
check("--auth-cmd with two targets: the command ran twice in all (start + one refresh)",
      runs == 2 and len(reps) == 2, (runs, sorted(reps), err[-300:]))
check("--auth-cmd with two targets: both scans complete, their routes opened with the refreshed token",
      len(reps) == 2 and all(ran(r) and "auth.credential-over-http" in rules(r) for r in reps.values()),
      {t: (r.get("status"), rules(r)) for t, r in reps.items()})
check("--auth-cmd with two targets: a refresh is noted, the token masked everywhere",
      any(any("credential refreshed after a 401" in n for n in r.get("notes", [])) for r in reps.values())
      and tok not in out + err, [r.get("notes") for r in reps.values()])
rc, out, err = warden("scan", "--auth-cmd", "exit 3", url)
check("--auth-cmd failing: exit 2, one line", rc == 2 and err.strip() == "warden: --auth-cmd: the command failed (exit 3)",
      (rc, err))
rc, out, err = warden("scan", "--auth-cmd", "printf '\\n\\n'", url)
check("--auth-cmd printing nothing: exit 2, one line",
      rc == 2 and err.strip() == "warden: --auth-cmd: the command printed nothing", (rc, err))
done()
