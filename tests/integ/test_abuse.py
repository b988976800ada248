"""The abuse and surface categories (issue 15) against their lab services:
tests/lab/abuse (Echo; API4 rate limiting with Echo's own
middleware.RateLimiter on the hardened twin, page-size caps).

Each vulnerable instance must raise exactly the expected rule ids, each
hardened twin none of them (and the run happened). The expected ids come
from what the lab serves (tests/lab/CONTRACT.md), not from warden's output.
"""
import re

from harness import check, clean, done, how, lab_url, ran, rules, scan_json

# What the plain-HTTP lab raises whatever the API does (Echo fingerprint,
# no https, no nosniff); the hardened twins are HTTPS with nosniff.
PLAIN = ["fingerprint.framework", "transport.no-https", "transport.no-nosniff"]
OURS = ("resource.",)


def diff(want, got):
    return "missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want)))


def by_rule(doc):
    out = {}
    for f in doc.get("findings", []):
        out.setdefault(f["rule"], []).append(f)
    return out


# ---- API4: rate limiting and page size -------------------------------------
vuln = lab_url("abuse-vuln")
rc, doc, err = scan_json(vuln, "--burst", "40")
want = sorted(PLAIN + ["resource.no-rate-limit", "resource.no-rate-limit-auth",
                       "resource.page-size-unbounded"])
got = rules(doc)
check("abuse-vuln: exact rule ids", got == want and ran(doc), diff(want, got) + " " + str(how(doc)),
      raises=["resource.no-rate-limit", "resource.no-rate-limit-auth",
              "resource.page-size-unbounded"])
f = by_rule(doc)
rl = f.get("resource.no-rate-limit", [{}])[0]
check("no-rate-limit: medium, on the cheap read route, 40 answers without 429",
      rl.get("severity") == "medium" and rl.get("location", {}).get("url") == vuln + "/api/v1/status"
      and "40 GET /api/v1/status (40 answered): 40 2xx" in rl.get("evidence", "")
      and " 0 429, 0 503; rate-limit headers on 0" in rl.get("evidence", ""), rl)
ra = f.get("resource.no-rate-limit-auth", [{}])[0]
check("no-rate-limit-auth: high, on the spec's login route",
      ra.get("severity") == "high" and ra.get("location", {}).get("url") == vuln + "/api/v1/login", ra)
pg = f.get("resource.page-size-unbounded", [{}])[0]
check("page size: 10000 items came back for ?limit=10000",
      "-> 10000 items" in pg.get("evidence", "")
      and pg.get("location", {}).get("url", "").endswith("/api/v1/items?limit=10000"), pg)
check("the burst is reported (statuses, headers, timings)",
      any(n.startswith("rate-limit burst: 40 GET /api/v1/status") and "time per request" in n
          for n in doc.get("notes", [])), doc.get("notes"))
check("score: resource is tested", "resource" in doc.get("score", {}).get("tested", []), doc.get("score"))

# --burst 0: no burst, so the rate-limit rules did not run (and are not raised).
rc, doc0, err = scan_json(vuln, "--burst", "0")
got0 = rules(doc0)
check("--burst 0 sends no burst", ran(doc0) and "resource.no-rate-limit" not in got0
      and not any(n.startswith("rate-limit burst") for n in doc0.get("notes", []))
      and doc0.get("requests", 0) < doc.get("requests", 0) - 70,
      (got0, doc0.get("requests"), doc.get("requests")))

# The twin: Echo's RateLimiter (429 with Retry-After and RateLimit headers)
# and the page size capped at 100.
hard = lab_url("abuse-hard")
rc, doc, err = scan_json(hard, "--burst", "40")
clean("abuse-hard (Echo middleware.RateLimiter, page cap): no resource finding", doc,
      [r for r in rules(doc) if r.startswith(OURS)])
check("abuse-hard: exact rule ids", rules(doc) == ["fingerprint.framework"] and ran(doc), rules(doc))
check("abuse-hard: the burst met 429 with RateLimit headers",
      any(n.startswith("rate-limit burst: 40 GET /api/v1/status")
          and int((re.search(r" (\d+) 429,", n) or re.search("(0)", "0")).group(1)) >= 20
          and "ratelimit-limit: 10" in n.lower() for n in doc.get("notes", [])), doc.get("notes"))
check("score: resource tested and 100 on the twin",
      doc.get("score", {}).get("categories", {}).get("resource") == 100, doc.get("score"))

done()
