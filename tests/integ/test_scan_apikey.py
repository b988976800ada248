"""Authenticated scans with an API key (the Buffalo seed): the key tried
with, without and wrong; in the query; over plain HTTP; echoed; and the
host-level output behind the key. The hardened twin, scanned with its valid
key, must be clean. The key is never printed in full."""
import os

from harness import LAB, check, clean, done, lab_url, ran, rules, scan_json, warden

KEY = "lab-key-buffalo-123456"

want = ["chain.unauthenticated-host-data", "auth.credential-echoed", "auth.credential-over-http",
        "auth.invalid-credential-accepted", "auth.key-in-query", "auth.method-bypass",
        "auth.no-auth", "container.command-output", "fingerprint.framework",
        "leak.debug-page", "transport.no-https", "transport.no-nosniff"]
rc, doc, err = scan_json(lab_url("buffalo-vuln"), "--api-key", "X-API-Key=" + KEY)
got = rules(doc)
check("buffalo-vuln with key: exact rule ids", got == sorted(want),
      "missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))),
      raises=want)
by_rule = {}
for f in doc["findings"]:
    by_rule.setdefault(f["rule"], []).append(f)
check("wrong key accepted on /api/v1/orders",
      any(f["location"]["url"].endswith("/api/v1/orders")
          for f in by_rule.get("auth.invalid-credential-accepted", [])))
check("docker ps output behind the key is flagged",
      any("/api/v1/admin/containers" in f["location"]["url"]
          for f in by_rule.get("container.command-output", [])))
check("the key is never printed in full (JSON)", ran(doc) and KEY not in str(doc), ran(doc))

# Terminal report, key from a file and from the environment.
keyfile = os.path.join(LAB, "run", "buffalo.key")
with open(keyfile, "w") as f:
    f.write("X-API-Key=" + KEY + "\n")
rc, out, err = warden("scan", "-q", "--no-color", "--api-key", "@" + keyfile, lab_url("buffalo-vuln"))
check("--api-key @file works", rc == 1 and "auth.invalid-credential-accepted" in out, rc)
check("the key is never printed in full (terminal)",
      "auth.invalid-credential-accepted" in out and KEY not in out and KEY not in err, rc)
os.environ["WARDEN_TEST_KEY"] = "X-API-Key=" + KEY
rc, out, err = warden("scan", "-q", "--api-key", "env:WARDEN_TEST_KEY", lab_url("buffalo-vuln"))
check("--api-key env:NAME works", rc == 1 and "auth.key-in-query" in out, rc)

rc, doc, err = scan_json(lab_url("buffalo-hard"), "--api-key", "X-API-Key=" + KEY)
clean("buffalo-hard with key: only the fingerprint", doc, rules(doc), ["fingerprint.framework"])
check("buffalo-hard with key: exit 0", rc == 0, rc)

# Bad credential options: exit 2, one line naming the problem.
for args, needle in [(["--api-key", "novalue"], "--api-key"),
                     (["--api-key", "@/nonexistent/key"], "/nonexistent/key"),
                     (["--api-key", "env:WARDEN_NO_SUCH_VAR"], "WARDEN_NO_SUCH_VAR"),
                     (["--api-key-in", "query"], "--api-key"),
                     (["--basic", "nocolon"], "--basic"),
                     (["--as2", "magic:x"], "--as2")]:
    rc, out, err = warden("scan", *args, lab_url("buffalo-vuln"))
    check("bad option %s: exit 2 naming it" % args[0], rc == 2 and needle in err, (rc, err))
done()
