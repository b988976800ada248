"""The abuse and surface categories (issue 15) against their lab services:
tests/lab/abuse (Echo: API4 rate limiting with Echo's own
middleware.RateLimiter on the hardened twin, page-size caps; API9 versions
and spec routes; API10 relayed upstream content, headers, redirects) and
tests/lab/apis (Flask: GraphQL on python3-graphql-core, an OpenAI-compatible
stand-in, SQLite and Jinja2 for the input-validation signals).

Each vulnerable instance must raise exactly the expected rule ids, each
hardened twin none of them (and the run happened). The expected ids come
from what the lab serves (tests/lab/CONTRACT.md), not from warden's output.
"""
import re

from harness import CA, LAB, LAB_TIMEOUT, check, clean, done, how, lab_url, ran, report, rules, scan_json, skip, warden

# What the plain-HTTP lab raises whatever the API does (Echo fingerprint,
# no https, no nosniff); the hardened twins are HTTPS with nosniff.
PLAIN = ["fingerprint.framework", "transport.no-https", "transport.no-nosniff"]
OURS = ("resource.", "inventory.", "unsafe.", "graphql.", "llm.", "injection.", "inputval.", "ssrf.",
        "endpoint.graphql-introspection")


def diff(want, got):
    return "missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want)))


def x_in(text, findings):
    return bool(findings) and all(text in x.get("evidence", "") for x in findings)


def doc_weights():
    """The category weights of docs/scoring.md's table (key ... | weight |)."""
    import os as _o
    w = {}
    with open(_o.path.join(_o.path.dirname(__file__), "..", "..", "docs", "scoring.md")) as fh:
        for line in fh:
            m = re.match(r"\|\s*(\w+)\s*\|[^|]*\|[^|]*\|\s*(\d+)\s*\|\s*$", line)
            if m:
                w[m.group(1)] = int(m.group(2))
    return w


def expected_overall(doc):
    """docs/scoring.md's overall from the report's tested category scores
    and the documented weights and caps; None when something is missing."""
    w = doc_weights()
    sc = doc.get("score", {})
    cats = {c: sc.get("categories", {}).get(c) for c in sc.get("tested", [])}
    if len(w) != 12 or not cats or any(v is None or c not in w for c, v in cats.items()):
        return None
    sw = sum(w[c] for c in cats)
    o = (6 * sum(v * w[c] for c, v in cats.items()) * 10 // sw + 4 * min(cats.values()) * 10 + 50) // 100
    sev = {f.get("severity") for f in doc.get("findings", [])}
    return min(o, 64) if "critical" in sev else min(o, 84) if "high" in sev else o


def by_rule(doc):
    out = {}
    for f in doc.get("findings", []):
        out.setdefault(f["rule"], []).append(f)
    return out


# ---- API4: rate limiting and page size -------------------------------------
vuln = lab_url("abuse-vuln")
rc, doc, err = scan_json(vuln, "--burst", "40")
# The spec's servers name staging.shop.internal and a private address
# (10.0.4.12): inventory.non-production-server for each, and no
# leak.internal-ip for 10.0.4.12 on /openapi.json (one problem, said once:
# chk_leaks leaves the spec's servers to it); /api/v2/export is deprecated in
# the spec and still answers 200: inventory.deprecated-alive.
# The spec (OpenAPI 3.1) declares the webhook orderShipped and the callback
# orderEvent of POST /api/v2/subscriptions, neither with a signature header
# or a security requirement: unsafe.webhook-unsigned, once for each.
SURFACE = ["inventory.deprecated-alive", "inventory.non-production-server",
           "inventory.old-version-alive", "inventory.spec-route-missing",
           "unsafe.foreign-redirect", "unsafe.upstream-content", "unsafe.upstream-headers",
           "unsafe.webhook-unsigned"]
# /api/v2/items declares ?limit without a maximum; /api/v2/logs declares no
# paging parameter and returns all its 5000 entries; /api/v2/catalog answers
# 600 products of about 1 KB each (no paging anywhere); /api/v2/orders embeds
# related accounts six levels deep for ?expand=*&depth=10.
PAGING = ["resource.expand-fanout", "resource.large-response", "resource.page-param-unbounded",
          "resource.page-size-unbounded", "resource.unpaged-list"]
RATE = ["resource.no-rate-limit", "resource.no-rate-limit-auth"]
want = sorted(PLAIN + RATE + PAGING + SURFACE)
got = rules(doc)
check("abuse-vuln: exact rule ids", got == want and ran(doc), diff(want, got) + " " + str(how(doc)),
      raises=RATE + PAGING + SURFACE)
f = by_rule(doc)
rl = f.get("resource.no-rate-limit", [{}])[0]
check("no-rate-limit: medium, on the cheap read route, 40 answers without 429",
      rl.get("severity") == "medium" and rl.get("location", {}).get("url") == vuln + "/api/v2/status"
      and "40 GET /api/v2/status (40 answered): 40 2xx" in rl.get("evidence", "")
      and " 0 429, 0 503; rate-limit headers on 0" in rl.get("evidence", ""), rl)
ra = f.get("resource.no-rate-limit-auth", [{}])[0]
check("no-rate-limit-auth: high, on the spec's login route",
      ra.get("severity") == "high" and ra.get("location", {}).get("url") == vuln + "/api/v2/login", ra)
pg = f.get("resource.page-size-unbounded", [{}])[0]
check("page size: 10000 items came back for ?limit=10000",
      "-> 10000 items" in pg.get("evidence", "")
      and pg.get("location", {}).get("url", "").endswith("/api/v2/items?limit=10000"), pg)
pp = f.get("resource.page-param-unbounded", [])
check("page parameter: GET /api/v2/items declares limit (integer) without a maximum, only there",
      [x.get("location", {}).get("url") for x in pp] == [vuln + "/api/v2/items"]
      and "limit (integer) without a maximum" in pp[0].get("evidence", ""), pp)
up = f.get("resource.unpaged-list", [])
check("unpaged list: /api/v2/logs answered its 5000 entries, no paging parameter declared",
      [x.get("location", {}).get("url") for x in up] == [vuln + "/api/v2/logs"]
      and "-> 5000 items" in up[0].get("evidence", ""), up)
lr = f.get("resource.large-response", [])
lr_bytes = re.search(r"-> (\d+) bytes of application/json", (lr or [{}])[0].get("evidence", ""))
check("large response: /api/v2/catalog only, 600 products of about 1 KB (over 512 KiB), nothing says paged",
      [x.get("location", {}).get("url") for x in lr] == [vuln + "/api/v2/catalog"]
      and lr_bytes and int(lr_bytes.group(1)) > 600 * 1000
      and "no Link rel=\"next\", no paging member" in lr[0].get("evidence", ""), lr)
# The scan's own request fills ?expand=1&depth=1 (the spec's parameters, value
# 1): one level, the customer object inside the order inside the list inside
# the top object, 4 levels of containers. ?expand=*&depth=10 nests six levels
# of accounts, each an object under a "related" array: 4 + 2 * 5 = 14.
fo = f.get("resource.expand-fanout", [])
check("expand fan-out: /api/v2/orders?expand=*&depth=10 nested 14 levels where the first answer nested 4",
      [x.get("location", {}).get("url") for x in fo] == [vuln + "/api/v2/orders?expand=*&depth=10"]
      and "nested 14 levels; without it (GET /api/v2/orders?expand=1&depth=1)" in fo[0].get("evidence", "")
      and fo[0].get("evidence", "").endswith("nested 4 levels"), fo)
fan = [n for n in doc.get("notes", []) if n.startswith("expand/depth fan-out: ")]
check("expand fan-out: six routes asked, the one declaring expand and depth first",
      len(fan) == 1 and fan[0].startswith("expand/depth fan-out: 6 routes asked: /api/v2/orders ?expand=*&depth=10 -> 200"),
      fan)
dep = f.get("inventory.deprecated-alive", [])
check("deprecated: /api/v2/export (deprecated in the spec) answered 200",
      [x.get("location", {}).get("url") for x in dep] == [vuln + "/api/v2/export"]
      and "-> 200" in dep[0].get("evidence", ""), dep)
npv = f.get("inventory.non-production-server", [])
check("non-production servers: staging.shop.internal and 10.0.4.12, found in /openapi.json",
      sorted(re.sub(r".*\((.*)\)$", r"\1", x.get("evidence", "")) for x in npv)
      == ["10.0.4.12", "staging.shop.internal"]
      and all(x.get("location", {}).get("url") == vuln + "/openapi.json" for x in npv), npv)
check("inventory notes: the spec served anonymously, /version and /api/v1/status not in the spec",
      "inventory: the API description /openapi.json is served without credentials "
      "(anyone can read the whole inventory; fine for a public API)" in doc.get("notes", [])
      and "inventory: 2 live routes not in the spec (found by discovery): /api/v1/status, /version"
      in doc.get("notes", []), doc.get("notes"))
check("the burst is reported (statuses, headers, timings)",
      any(n.startswith("rate-limit burst: 40 GET /api/v2/status") and "time per request" in n
          for n in doc.get("notes", [])), doc.get("notes"))
check("score: resource, inventory, unsafe tested",
      {"resource", "inventory", "unsafe"} <= set(doc.get("score", {}).get("tested", [])), doc.get("score"))
check("score: the overall is docs/scoring.md's weighted formula over the tested categories (their weights)",
      expected_overall(doc) is not None and doc.get("score", {}).get("overall") == expected_overall(doc),
      (expected_overall(doc), doc.get("score")))
old = f.get("inventory.old-version-alive", [{}])[0]
check("old version: /api/v1/status answers next to the spec's /api/v2/status",
      old.get("location", {}).get("url") == vuln + "/api/v1/status"
      and "/api/v2/status" in old.get("evidence", ""), old)
miss = f.get("inventory.spec-route-missing", [])
check("spec route missing: /api/v2/reports only",
      [m.get("location", {}).get("url") for m in miss] == [vuln + "/api/v2/reports"], miss)
up = f.get("unsafe.upstream-content", [{}])[0]
check("upstream content: nginx's 502 page inside the JSON of /api/v2/weather",
      up.get("location", {}).get("url") == vuln + "/api/v2/weather"
      and "HTML document" in up.get("evidence", ""), up)
uh = f.get("unsafe.upstream-headers", [{}])[0]
check("upstream headers: X-Upstream-Server or the Via chain of /api/v2/prices",
      uh.get("location", {}).get("url") == vuln + "/api/v2/prices"
      and ("pricing-svc" in uh.get("evidence", "") or "pricing-gw" in uh.get("evidence", "")), uh)
wh = sorted(f.get("unsafe.webhook-unsigned", []), key=lambda x: x.get("location", {}).get("url", ""))
check("webhook-unsigned: the webhook orderShipped (at the spec) and POST /api/v2/subscriptions' callback",
      [(x.get("location", {}).get("method"), x.get("location", {}).get("url")) for x in wh]
      == [("POST", vuln + "/api/v2/subscriptions"), ("POST", vuln + "/openapi.json")]
      and "registers callback with no signature header and no security requirement: orderEvent "
          "(POST {$request.body#/callbackUrl})" in wh[0].get("evidence", "")
      and "webhook orderShipped (POST to the subscriber's URL)" in wh[1].get("evidence", ""), wh)
check("webhook note: two requests, none signed",
      "unsafe: the spec declares 2 webhook and callback requests, 0 with a documented signature"
      in doc.get("notes", []), [n for n in doc.get("notes", []) if "webhook" in n])
fr = f.get("unsafe.foreign-redirect", [{}])[0]
check("foreign redirect: /api/v2/partner to partner.shop.invalid",
      fr.get("location", {}).get("url") == vuln + "/api/v2/partner"
      and "partner.shop.invalid" in fr.get("evidence", ""), fr)

# --burst 0: no burst, so the rate-limit rules did not run (and are not raised).
rc, doc0, err = scan_json(vuln, "--burst", "0")
got0 = rules(doc0)
want0 = sorted(PLAIN + PAGING + SURFACE)
check("abuse-vuln --burst 0: exact rule ids", got0 == want0 and ran(doc0), diff(want0, got0))
check("--burst 0 sends no burst", ran(doc0) and "resource.no-rate-limit" not in got0
      and not any(n.startswith("rate-limit burst") for n in doc0.get("notes", []))
      and doc0.get("requests", 0) < doc.get("requests", 0) - 70,
      (got0, doc0.get("requests"), doc.get("requests")))

# The twin: Echo's RateLimiter (429 with Retry-After and RateLimit headers)
# and the page size capped at 100.
hard = lab_url("abuse-hard")
rc, doc, err = scan_json(hard, "--burst", "40")
clean("abuse-hard (Echo middleware.RateLimiter, page cap, one version, no relaying): none of ours",
      doc, [r for r in rules(doc) if r.startswith(OURS)])
check("abuse-hard: exact rule ids", rules(doc) == ["fingerprint.framework"] and ran(doc), rules(doc))
check("abuse-hard: no live route outside the spec (the older version and /version are not served)",
      ran(doc) and not any("not in the spec" in n for n in doc.get("notes", [])), doc.get("notes"))
# The twin really serves what the scan judged clean: the same routes, paged,
# retired with 410, and a spec whose paging parameters have a maximum.
import json as _j, ssl as _s, urllib.request as _u, urllib.error as _ue
_ctx = _s.create_default_context(cafile=CA)


def _get(u):
    import time as _t
    for _ in range(20):  # the twin's limiter (2/s per request URI) may still be empty: wait it out
        try:
            with _u.urlopen(u, timeout=30, context=_ctx) as r:
                return r.status, _j.load(r)
        except _ue.HTTPError as e:
            if e.code != 429:
                return e.code, None
            _t.sleep(1)
    return 429, None


st_logs, logs = _get(hard + "/api/v2/logs")
st_exp, _ = _get(hard + "/api/v2/export")
st_spec, hspec = _get(hard + "/openapi.json")
check("abuse-hard serves a paged log list (50 entries), 410 for the deprecated export, maxima in its spec",
      st_logs == 200 and len((logs or {}).get("entries", [])) == 50 and st_exp == 410
      and st_spec == 200 and (hspec or {}).get("paths", {}).get("/api/v2/export", {}).get("get", {}).get("deprecated") is True
      and all(p.get("schema", {}).get("maximum") == 100
              for op in ("/api/v2/items", "/api/v2/logs")
              for p in (hspec or {}).get("paths", {}).get(op, {}).get("get", {}).get("parameters", []))
      # and the twin's spec does declare paging parameters (all() of none is true)
      and all((hspec or {}).get("paths", {}).get(op, {}).get("get", {}).get("parameters")
              for op in ("/api/v2/items", "/api/v2/logs")),
      (st_logs, st_exp, st_spec))
fan = [n for n in doc.get("notes", []) if n.startswith("expand/depth fan-out: ")]
check("abuse-hard: /api/v2/orders asked with expand=*&depth=10 and answered capped (one level: 4, as before)",
      len(fan) == 1 and "/api/v2/orders ?expand=*&depth=10 -> 200" in fan[0]
      and re.search(r"/api/v2/orders \?expand=\*&depth=10 -> 200, \d+ bytes \(was \d+\), nesting 4 \(was 4\)",
                    fan[0]), fan)
check("abuse-hard: both webhook requests judged, each with its declared signature header",
      "unsafe: the spec declares 2 webhook and callback requests, 2 with a documented signature "
      "(orderShipped: X-Shop-Signature, orderEvent: Webhook-Signature)" in doc.get("notes", []),
      [n for n in doc.get("notes", []) if "webhook" in n])
st_cat, cat = _get(hard + "/api/v2/catalog")
st_ord, ords = _get(hard + "/api/v2/orders?expand=*&depth=10")
check("abuse-hard pages its catalog (20 products and a next cursor) and embeds one level for expand=*",
      st_cat == 200 and len((cat or {}).get("products", [])) == 20 and (cat or {}).get("next") == "20"
      and st_ord == 200 and all("related" not in o.get("customer", {}) for o in (ords or {}).get("orders", []))
      and len((ords or {}).get("orders", [])) == 20, (st_cat, st_ord))
check("abuse-hard: the burst met 429 with RateLimit headers",
      any(n.startswith("rate-limit burst: 40 GET /api/v2/status")
          and int((re.search(r" (\d+) 429,", n) or re.search("(0)", "0")).group(1)) >= 20
          and "ratelimit-limit: 10" in n.lower() for n in doc.get("notes", [])), doc.get("notes"))
check("score: resource, inventory, unsafe tested and 100 on the twin",
      all(doc.get("score", {}).get("categories", {}).get(c) == 100
          for c in ("resource", "inventory", "unsafe")), doc.get("score"))

# ---- the abuse lab with --active (--burst 0: the burst is judged above) ------
# The writes are the spec's POST /api/v2/login and /api/v2/subscriptions,
# the SSRF canary, metadata and loopback URLs in subscriptions' callbackUrl
# (the lab stores it and never fetches: nothing), and inputval's copies of
# the subscription as text/plain and as a form: Echo's c.Bind answers 415
# to text/plain and binds the form (201): inputval.content-type-confusion,
# on the vulnerable instance only. Everything else is as read-only.
SUBS = "/api/v2/subscriptions"
rc, doc, err = scan_json(vuln, "--active", "--burst", "0")
want = sorted(PLAIN + PAGING + SURFACE + ["inputval.content-type-confusion"])
got = rules(doc)
check("abuse-vuln --active: exact rule ids", got == want and ran(doc), diff(want, got) + " " + str(how(doc)),
      raises=["inputval.content-type-confusion"])
ct = by_rule(doc).get("inputval.content-type-confusion", [])
check("abuse-vuln --active: Echo's binder took the subscription as an urlencoded form (201), not as text/plain",
      [(x.get("location", {}).get("method"), x.get("location", {}).get("url")) for x in ct] == [("POST", vuln + SUBS)]
      and ct[0].get("evidence", "").startswith("POST /api/v2/subscriptions (the spec declares application/json "
                                               "only) sent as application/x-www-form-urlencoded: callbackUrl=")
      and " -> 201: " in ct[0].get("evidence", "")
      and ct[0].get("evidence", "").endswith("the same example as application/json -> 201"), ct)
vw = sorted(w.get("status") for w in doc.get("writes", []) if w.get("url") == vuln + SUBS)
check("abuse-vuln --active: subscriptions got the spec's write, the 6 SSRF URLs and the 2 copies: eight 201, one 415",
      vw == [201] * 8 + [415], doc.get("writes"))
rc, doc, err = scan_json(hard, "--active", "--burst", "0")
check("abuse-hard --active: exact rule ids", rules(doc) == ["fingerprint.framework"] and ran(doc),
      rules(doc) + [how(doc)])
hw = sorted(w.get("status") for w in doc.get("writes", []) if w.get("url") == hard + SUBS)
# Nine requests to one URI, within the twin's limiter burst of 10: no 429.
check("abuse-hard --active: subscriptions stored the JSON (201) and answered 415 to both undeclared types",
      hw == [201] * 7 + [415, 415], doc.get("writes"))

# ---- GraphQL, LLM, input validation (tests/lab/apis) ------------------------
GQL = ["endpoint.graphql-introspection", "graphql.alias-amplification", "graphql.field-suggestions",
       "graphql.get-mutation"]
LLM = ["llm.system-prompt-leak", "llm.unauthenticated-access", "llm.usage-disclosure"]
INJ = ["injection.sql-error", "injection.template-eval"]
api = lab_url("apis-vuln")
rc, doc, err = scan_json(api)
want = sorted(PLAIN + GQL + LLM + INJ + ["ssrf.url-parameter"])
got = rules(doc)
check("apis-vuln: exact rule ids", got == want and ran(doc), diff(want, got) + " " + str(how(doc)),
      raises=GQL + LLM + INJ + ["ssrf.url-parameter"])
f = by_rule(doc)
ev = lambda r: " ".join(x.get("evidence", "") for x in f.get(r, []))
url = lambda r: sorted(x.get("location", {}).get("url", "") for x in f.get(r, []))
check("graphql: the library's own suggestion names the real fields",
      'Did you mean \\"user\\" or \\"users\\"?' in ev("graphql.field-suggestions")
      or 'Did you mean "user" or "users"?' in ev("graphql.field-suggestions"), ev("graphql.field-suggestions"))
check("graphql: mutation { __typename } ran over GET",
      'data.__typename = "Mutation"' in ev("graphql.get-mutation"), ev("graphql.get-mutation"))
check("graphql: 100 aliases answered", "100 fields answered" in ev("graphql.alias-amplification"),
      ev("graphql.alias-amplification"))
check("graphql: the endpoint is reported as running GET queries",
      any("GraphQL endpoint /graphql runs queries sent with GET" in n for n in doc.get("notes", [])),
      doc.get("notes"))
check("llm: the model list and the /chat completion answered without a key",
      url("llm.unauthenticated-access")[:1] and "shopbot-7b-instruct" in ev("llm.unauthenticated-access"),
      f.get("llm.unauthenticated-access"))
check("llm: the system prompt returned by /chat",
      url("llm.system-prompt-leak") == [api + "/chat?q=hello"] and "ShopBot" in ev("llm.system-prompt-leak"),
      f.get("llm.system-prompt-leak"))
check("llm: model and usage disclosed by /chat, not by the model API itself",
      url("llm.usage-disclosure") == [api + "/chat?q=hello"], f.get("llm.usage-disclosure"))
check("injection: SQLite's own error for the quote, on /api/v1/products",
      "SQLite error" in ev("injection.sql-error") and "unrecognized token" in ev("injection.sql-error")
      and all(u.startswith(api + "/api/v1/products?q=") for u in url("injection.sql-error")),
      f.get("injection.sql-error"))
check("injection: Jinja2 evaluated wd{{7*7}}wd on /api/v1/greet",
      "wd49wd" in ev("injection.template-eval")
      and url("injection.template-eval") == [api + "/api/v1/greet?name=wd%7B%7B7*7%7D%7Dwd"],
      f.get("injection.template-eval"))
sp = sorted(f.get("ssrf.url-parameter", []), key=lambda x: x.get("evidence", ""))
check("ssrf surface: ?url= of /api/v1/preview (by name) and ?page= of /api/v1/unfurl (spec format uri), "
      "info, without credentials",
      len(sp) == 2 and all(x.get("severity") == "info" for x in sp)
      and "GET /api/v1/preview takes ?url=" in sp[0].get("evidence", "")
      and "GET /api/v1/unfurl takes ?page=" in sp[1].get("evidence", ""), sp)
check("score: ssrf untested read-only (an info rule tests nothing), the others tested",
      {"misconfig", "auth", "data", "resource", "unsafe"} <= set(doc.get("score", {}).get("tested", []))
      and "ssrf" in doc.get("score", {}).get("not_tested", []), doc.get("score"))

hard = lab_url("apis-hard")
rc, doc, err = scan_json(hard)
clean("apis-hard (introspection, suggestions and GET mutations refused, field budget, LLM key, "
      "bound SQL parameter, template variable): none of ours", doc,
      [r for r in rules(doc) if r.startswith(OURS)])
check("apis-hard: exact rule ids", rules(doc) == ["fingerprint.framework"] and ran(doc), rules(doc))
check("apis-hard: the GraphQL endpoint was found and judged",
      any("GraphQL endpoint /graphql" in n for n in doc.get("notes", [])), doc.get("notes"))
check("apis-hard: the LLM routes were judged (auth tested: 401 without a key)",
      "auth" in doc.get("score", {}).get("tested", []), doc.get("score"))


# ---- what the default mode sends: the apis lab records every request ---------
import json as _json
import ssl as _ssl
import urllib.parse as _up
import urllib.request as _ur


def record(inst):
    with _ur.urlopen(lab_url(inst) + "/__record", timeout=30) as r:
        return _json.load(r)


# ... and the expand/depth fan-out question (docs/cli.md): a route declaring
# neither is asked once with ?expand=*&depth=10 added.
DOCUMENTED = {"1", "warden'\"x", "wd'", "wd\\", "wd\udcc3(", "wd-not-a-number", "wd{{7*7}}wd",
              "wd${7*7}wd", "wd" + "A" * 2048, "*", "10"}
before = len(record("apis-vuln"))
rc, doc, err = scan_json(api)
sent = record("apis-vuln")[before:]
check("default mode: the apis lab recorded the scan", ran(doc) and len(sent) > 100, (len(sent), how(doc)))
check("default mode: only GET, HEAD and OPTIONS",
      sorted({r[0] for r in sent}) <= ["GET", "HEAD", "OPTIONS"], sorted({r[0] for r in sent}))
vals = set()
for m, full, _ct, _b in sent:
    if full.startswith("/api/v1/products?"):
        for k, v in _up.parse_qsl(full.split("?", 1)[1], keep_blank_values=True, errors="surrogateescape"):
            vals.add(v)
check("default mode: a spec parameter gets only the documented read-only values",
      vals == DOCUMENTED, sorted(v[:20] for v in vals ^ DOCUMENTED))
bad = [full for _, full, _ct, _b in sent if "WDC" in full or "joined" in full or "%2Fwd-" in full
       or "/wd-" in full or "http%3A" in full.lower() or "ignore" in full.lower()]
check("default mode: no prompt, no canary URL, no URL in any parameter", not bad, bad[:3])
deep = [full for _, full, _ct, _b in sent if "friends" in _up.unquote(full)]
check("default mode: no deep GraphQL query (the schema's users { friends ... } is asked with --active only)",
      not deep and any(full.startswith("/graphql?") for _, full, _ct, _b in sent), deep[:2])
withbody = [r for r in sent if r[2] or r[3]]
check("default mode: no request carried a body or a Content-Type (no undeclared body type tried)",
      not withbody, withbody[:3])

# ---- --active: prompts with canaries, SSRF callbacks, GraphQL batching ------
# /api/v1/unfurl refuses "127.0.0.1" by text but fetches 2130706433 and
# 0x7f000001 (the IPv6-mapped spelling holds the text "127.0.0.1": refused);
# both fetching routes return what they fetched.
# The vulnerable GraphQL schema has users -> friends -> friends ... and no
# depth limit: graphql.no-depth-limit.
# Both fetch 169.254.169.254 (answered by the lab's in-process metadata
# stand-in): /api/v1/preview in every spelling, /api/v1/unfurl only where
# the text "169.254.169.254" is absent (decimal, hex, octal): the
# cloud-metadata rule. /api/v1/preview also fetches the target's own
# http://127.0.0.1:PORT/openapi.json and returns it (its title "warden lab:
# apis"); unfurl refuses the text 127.0.0.1: the loopback-target rule, once.
# POST /api/v1/feedback declares application/json only and parses any body
# as JSON (Flask's get_json(force=True)): the example sent as text/plain is
# stored (201): inputval.content-type-confusion. The urlencoded form of the
# same example is not JSON: 400, no finding for it.
INJ_ACTIVE = ["graphql.batching", "graphql.no-depth-limit", "inputval.content-type-confusion",
              "llm.prompt-injection", "ssrf.callback",
              "ssrf.cloud-metadata", "ssrf.filter-bypass", "ssrf.loopback-target",
              "ssrf.response-returned"]
before = len(record("apis-vuln"))
rc, doc, err = scan_json(api, "--active")
want = sorted(PLAIN + GQL + LLM + INJ + INJ_ACTIVE + ["ssrf.url-parameter"])
got = rules(doc)
check("apis-vuln --active: exact rule ids", got == want and ran(doc), diff(want, got) + " " + str(how(doc)),
      raises=INJ_ACTIVE)
f = by_rule(doc)
pi = [x.get("evidence", "") for x in f.get("llm.prompt-injection", [])]
check("prompt injection: all five prompts obeyed on the chat API and on /chat, canaries named",
      len(pi) == 2 and all(e.startswith("5 of 5 prompts obeyed") and "indirect injection (canary WDC" in e
                           and "encoding trick" in e for e in pi), pi)
check("prompt injection: POST /v1/chat/completions and GET /chat",
      sorted(x["location"]["method"] + " " + x["location"]["url"] for x in f.get("llm.prompt-injection", []))
      == ["GET " + api + "/chat", "POST " + api + "/v1/chat/completions"], f.get("llm.prompt-injection"))
cbs = f.get("ssrf.callback", [])
cb = ([x for x in cbs if "/api/v1/preview?" in x.get("location", {}).get("url", "")] or [{}])[0]
check("ssrf: callbacks from /api/v1/preview (as given), /api/v1/unfurl (a spelling) and POST "
      "/api/v1/link-check (target_url in its JSON body) only",
      sorted(x.get("location", {}).get("method", "") + " " + x.get("location", {}).get("url", "").split("?")[0]
             for x in cbs)
      == ["GET " + api + "/api/v1/preview", "GET " + api + "/api/v1/unfurl", "POST " + api + "/api/v1/link-check"]
      and any('POST /api/v1/link-check with "target_url" set to the canary URL http://127.0.0.1:' in x.get("evidence", "")
              for x in cbs)
      and any("?page= given the canary URL with 127.0.0.1 spelled as a" in x.get("evidence", "") for x in cbs),
      cbs)
by = f.get("ssrf.filter-bypass", [])
check("ssrf filter bypass: unfurl refused 127.0.0.1 (400), fetched the decimal and hex spellings",
      len(by) == 1 and by[0].get("location", {}).get("url", "").startswith(api + "/api/v1/unfurl?page=")
      and "answered 400 and never requested" in by[0].get("evidence", "")
      and "spelled decimal, hex was requested" in by[0].get("evidence", ""), by)
rr = f.get("ssrf.response-returned", [])
check("ssrf content returned: the listener's marker came back from preview, unfurl and link-check",
      sorted(x.get("location", {}).get("url", "").split("?")[0] for x in rr)
      == [api + "/api/v1/link-check", api + "/api/v1/preview", api + "/api/v1/unfurl"]
      and all(x.get("severity") == "critical" and "came back in the target's answer (200)" in x.get("evidence", "")
              for x in rr), rr)
check("ssrf: the target requested the canary URL given in ?url=, from loopback, with its User-Agent",
      "?url= given the canary URL" in cb.get("evidence", "") and "from 127.0.0.1" in cb.get("evidence", "")
      and "Python-urllib" in cb.get("evidence", ""), cb)
md = sorted(f.get("ssrf.cloud-metadata", []), key=lambda x: x.get("location", {}).get("url", ""))
check("ssrf cloud metadata: preview in all five spellings, unfurl in decimal, hex and octal (its blocklist "
      "holds the text 169.254.169.254), link-check's JSON body in the four body spellings (no octal), "
      "critical, words named and no value",
      [(x.get("location", {}).get("method"), x.get("location", {}).get("url", "").split("?")[0]) for x in md]
      == [("POST", api + "/api/v1/link-check"), ("GET", api + "/api/v1/preview"), ("GET", api + "/api/v1/unfurl")]
      and all(x.get("severity") == "critical" for x in md)
      and md[0].get("evidence", "").startswith(
          "POST /api/v1/link-check with the JSON body property \"target_url\" given the instance metadata URL "
          ".../latest/meta-data/ with 169.254.169.254 written dotted, decimal, hex, IPv6-mapped: the answer "
          "holds instance metadata (ami-id, ")
      and "written dotted, decimal, hex, octal, IPv6-mapped: the answer holds instance metadata (ami-id, "
          in md[1].get("evidence", "")
      and "written decimal, hex, octal: the answer holds instance metadata (" in md[2].get("evidence", "")
      and "not returned for dotted 400, IPv6-mapped 400" in md[2].get("evidence", "")
      and all("which the answer to the canary URL does not" in x.get("evidence", "") for x in md[:2])
      and not any("i-0123456789abcdef0" in x.get("evidence", "") for x in md), md)
lt = sorted(f.get("ssrf.loopback-target", []), key=lambda x: x.get("location", {}).get("url", ""))
port = api.rsplit(":", 1)[1]
check("ssrf loopback target: preview (?url=) and link-check (target_url in its JSON body) fetched "
      "http://127.0.0.1:PORT/openapi.json (the target's own) and returned its title; unfurl refused it",
      [(x.get("location", {}).get("method"), x.get("location", {}).get("url")) for x in lt]
      == [("POST", api + "/api/v1/link-check"),
          ("GET", api + "/api/v1/preview?url=http%3A%2F%2F127.0.0.1%3A" + port + "%2Fopenapi.json")]
      and lt[0].get("evidence", "").startswith('POST /api/v1/link-check with the JSON body property "target_url" '
                                               "given http://127.0.0.1:" + port + "/openapi.json ")
      and x_in("holds the spec's title \"warden lab: apis\"", lt), lt)
ct = f.get("inputval.content-type-confusion", [])
check("content-type confusion: POST /api/v1/feedback stored the JSON example sent as text/plain, medium",
      [(x.get("location", {}).get("method"), x.get("location", {}).get("url"), x.get("severity")) for x in ct]
      == [("POST", api + "/api/v1/feedback", "medium")]
      and ct[0].get("evidence", "").startswith(
          'POST /api/v1/feedback (the spec declares application/json only) sent as text/plain: '
          '{"message":"great lamp","rating":5} -> 201: {')
      and ct[0].get("evidence", "").endswith("the same example as application/json -> 201"), ct)
dl = f.get("graphql.no-depth-limit", [])
check("graphql depth: users { friends { friends ... } } 12 levels deep answered whole",
      len(dl) == 1 and "GET {users{friends{friends ... {__typename}}}} nested 12 levels -> 200, all 12 "
      "levels answered" in dl[0].get("evidence", ""), dl)
check("graphql batching: three operations answered",
      "3 answered" in " ".join(x.get("evidence", "") for x in f.get("graphql.batching", [])), f.get("graphql.batching"))
check("--active: the POSTs are listed as writes",
      any(w.get("method") == "POST" and w.get("url", "").endswith("/v1/chat/completions")
          for w in doc.get("writes", [])), doc.get("writes"))
sent = record("apis-vuln")[before:]
check("--active: the deep GraphQL query was sent (12 levels: users, 10 friends, __typename)",
      any(_up.unquote(p).count("friends") == 10 for _, p, _ct, _b in sent), [p for _, p, _ct, _b in sent if "graphql" in p][:3])
check("--active: the prompts and the canary URLs were sent (and only then)",
      any(m == "POST" and p == "/v1/chat/completions" for m, p, _ct, _b in sent)
      and any("/api/v1/preview?url=http%3A%2F%2F127.0.0.1%3A" in p and "%2Fwd-" in p for _, p, _ct, _b in sent),
      [p for _, p, _ct, _b in sent if "preview" in p][:3])
META_SENT = ["http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F", "http%3A%2F%2F2852039166%2Flatest%2Fmeta-data%2F",
             "http%3A%2F%2F0xA9FEA9FE%2Flatest%2Fmeta-data%2F", "http%3A%2F%2F0251.0376.0251.0376%2Flatest%2Fmeta-data%2F",
             "http%3A%2F%2F%5B%3A%3Affff%3A169.254.169.254%5D%2Flatest%2Fmeta-data%2F"]
check("--active: the five metadata spellings went to both URL parameters",
      all(("/api/v1/preview?url=" + m) in [r[1] for r in sent] and ("/api/v1/unfurl?page=" + m) in [r[1] for r in sent]
          for m in META_SENT), [r[1] for r in sent if "meta-data" in r[1]])
check("score: ssrf tested with --active", "ssrf" in doc.get("score", {}).get("tested", []), doc.get("score"))
check("score --active: ssrf and misconfig weighed as docs/scoring.md says in the overall",
      {"ssrf", "misconfig"} <= set(doc.get("score", {}).get("tested", []))
      and expected_overall(doc) is not None and doc.get("score", {}).get("overall") == expected_overall(doc),
      (expected_overall(doc), doc.get("score")))
BODY_META = ["http://169.254.169.254/latest/meta-data/", "http://2852039166/latest/meta-data/",
             "http://0xA9FEA9FE/latest/meta-data/", "http://[::ffff:169.254.169.254]/latest/meta-data/",
             "http://127.0.0.1:%s/openapi.json" % port]


def body_urls(rec, path):
    out = []
    for m, p, ct, b in rec:
        if m == "POST" and p == path and ct == "application/json":
            try:
                out.append(_json.loads(b).get("target_url"))
            except ValueError:
                out.append(None)
    return out


check("--active: link-check got the four metadata spellings and the target's own loopback URL in its "
      "JSON body, once each",
      all(body_urls(sent, "/api/v1/link-check").count(u) == 1 for u in BODY_META),
      body_urls(sent, "/api/v1/link-check"))
fb = sorted((r[2], r[3]) for r in sent if r[0] == "POST" and r[1] == "/api/v1/feedback")
check("--active: /api/v1/feedback got its example as JSON, as text/plain and as an urlencoded form, "
      "once each, and answered 201, 201, 400",
      fb == [("application/json", '{"message":"great lamp","rating":5}'),
             ("application/x-www-form-urlencoded", "message=great%20lamp&rating=5"),
             ("text/plain", '{"message":"great lamp","rating":5}')]
      and sorted(w.get("status") for w in doc.get("writes", []) if w.get("url") == api + "/api/v1/feedback")
      == [201, 201, 400], (fb, doc.get("writes")))

# The twin, with the key it asks for: the model follows no instruction in
# its input, the preview allows one host, batching is refused.
key = "lab-llm-key-0123456789"
_hctx = _ssl.create_default_context(cafile=CA)
with _ur.urlopen(hard + "/__record", timeout=30, context=_hctx) as _r:
    hbefore = len(_json.load(_r))
rc, doc, err = scan_json(hard, "--active", "--bearer", key)
clean("apis-hard --active with its key: none of ours", doc, [r for r in rules(doc) if r.startswith(OURS)])
check("apis-hard --active: prompts, canary URLs and the batch were sent and judged",
      {"ssrf", "resource"} <= set(doc.get("score", {}).get("tested", []))
      and sum(1 for w in doc.get("writes", []) if w.get("url", "").endswith("/v1/chat/completions")) == 5,
      (doc.get("score", {}).get("tested"), doc.get("writes")))
check("apis-hard --active: the schema was read with the key and the deep query judged (refused)",
      ran(doc) and "graphql.no-depth-limit" not in rules(doc)
      and any("GraphQL endpoint /graphql runs queries" in n for n in doc.get("notes", []))
      and not any("depth not judged" in n for n in doc.get("notes", [])), doc.get("notes"))
check("the key is never printed", key not in str(doc) and key not in err)


def hard_get(path, auth=True):
    req = _ur.Request(hard + path, headers={"Authorization": "Bearer " + key} if auth else {})
    try:
        with _ur.urlopen(req, timeout=30, context=_hctx) as r:
            return r.status, _json.load(r)
    except _ue.HTTPError as e:
        return e.code, _json.loads(e.read() or b"{}")


check("apis-hard --active: POST /api/v1/link-check sent seven times (the spec's example, the canary, "
      "four metadata spellings and the loopback URL in target_url) and refused",
      sorted((w.get("method"), w.get("status")) for w in doc.get("writes", [])
             if w.get("url", "").endswith("/api/v1/link-check")) == [("POST", 400)] * 7,
      doc.get("writes"))
# Flask's get_json() refuses a body that is not declared JSON: 400 in
# Debian's Flask 2.2, 415 from Flask 2.3.
check("apis-hard --active: POST /api/v1/feedback stored its JSON example (201) and refused it as text/plain "
      "and as a form",
      sorted(w.get("status") for w in doc.get("writes", []) if w.get("url") == hard + "/api/v1/feedback")[:1] == [201]
      and len([w for w in doc.get("writes", []) if w.get("url") == hard + "/api/v1/feedback"]) == 3
      and all(w.get("status") in (400, 415) for w in doc.get("writes", [])
              if w.get("url") == hard + "/api/v1/feedback" and w.get("status") != 201)
      and sum(1 for w in doc.get("writes", []) if w.get("url") == hard + "/api/v1/feedback"
              and w.get("status") == 201) == 1, doc.get("writes"))
hrec = hard_get("/__record", auth=False)[1][hbefore:]
hsent = [r[1] for r in hrec]
hport = hard.rsplit(":", 1)[1]
check("apis-hard --active: link-check got the metadata spellings and its own loopback URL in its JSON body",
      all(body_urls(hrec, "/api/v1/link-check").count(u) == 1
          for u in BODY_META[:4] + ["https://127.0.0.1:%s/openapi.json" % hport]),
      body_urls(hrec, "/api/v1/link-check"))
check("apis-hard --active: the metadata spellings and the target's own loopback URL were sent",
      all(("/api/v1/preview?url=" + m) in hsent for m in META_SENT)
      and "/api/v1/preview?url=https%3A%2F%2F127.0.0.1%3A" + hport + "%2Fopenapi.json" in hsent,
      [p for p in hsent if "preview" in p][:8])
# The twin reads the address whatever its spelling and refuses link-local and
# loopback before its allowlist: asked directly, with its key.
hr = [hard_get("/api/v1/preview?url=" + m) for m in META_SENT + ["http%3A%2F%2F2130706433%3A" + hport + "%2F"]]
check("apis-hard refuses every metadata spelling and a loopback spelling: 400 address not allowed",
      all(st == 400 and (b or {}).get("error") == "address not allowed" for st, b in hr), hr)

# --canary HOST:PORT: the listener binds there and the canary URLs name it.
# The port is free when chosen; another process may bind it before warden
# does (warden then says "Address already in use"): another port is tried.
import socket as _socket
for _ in range(5):
    _s = _socket.socket()
    _s.bind(("127.0.0.1", 0))
    port = _s.getsockname()[1]
    _s.close()
    rc, out, err = warden("scan", "-q", "-f", "json", "--cacert", CA, *LAB_TIMEOUT,
                          "--active", "--canary", "127.0.0.1:%d" % port, api)
    if "Address already in use" not in err:
        break
doc = report(out, "scan --active --canary 127.0.0.1:%d %s" % (port, api), err)
cb = [x for x in doc.get("findings", []) if x["rule"] == "ssrf.callback"]
check("--canary 127.0.0.1:PORT: the callbacks came to that port",
      len(cb) == 3 and all(("%%3A%d%%2Fwd-" % port) in x["location"]["url"]
                           or ("http://127.0.0.1:%d/wd-" % port) in x["evidence"] for x in cb),
      [x.get("location") for x in cb])
rc, out, err = warden("scan", "--canary", "127.0.0.1:%d" % port, api)
check("--canary without --active: exit 2, said", rc == 2 and "--canary needs --active" in err, (rc, err))

# ---- input validation on a real PostgreSQL ---------------------------------
# Debian's PostgreSQL server (pglab.py, as the history suites use it) and
# the apis lab with --pg-dsn: /api/v1/orders pastes ?customer= into a quoted
# string and answers {"error": str(e)} (psycopg2's text of the server's
# message, without "ERROR:"), /api/v1/invoices pastes ?id= bare and answers
# libpq's "ERROR:  ..." text. The quote warden sends (wd') leaves a quoted
# string open in both, which PostgreSQL reports as "unterminated quoted
# string at or near". The twin binds parameters: nothing reaches the SQL.
import os as _os
import subprocess as _sp
import tempfile as _tf
import time as _time

import pglab

try:
    import psycopg2 as _pg2  # noqa: F401 (the lab needs it: python3-psycopg2)
    have_pg2 = True
except ImportError:
    have_pg2 = False
if not pglab.bindir() or not have_pg2:
    skip("input validation on a real PostgreSQL", "postgresql-15 or python3-psycopg2 not installed")
else:
    pgc = pglab.Postgres()
    apps = []
    try:
        dsn = pgc.createdb("shop")
        pgc.psql("shop", "CREATE TABLE orders (id integer PRIMARY KEY, customer text NOT NULL, "
                 "total numeric(10,2) NOT NULL); INSERT INTO orders VALUES (1, 'alice', 19.90), "
                 "(2, 'bob', 149.00)")
        tmpd = _tf.mkdtemp(prefix="warden-apis-pg-")
        urls = {}
        for mode in ("vuln", "hard"):
            af = _os.path.join(tmpd, mode + ".addr")
            apps.append(_sp.Popen(["/usr/bin/python3", _os.path.join(_os.path.dirname(__file__), "..", "lab",
                                                                     "apis", "app.py"),
                                   "--addr", "127.0.0.1:0", "--addr-file", af, "--mode", mode,
                                   "--pg-dsn", dsn], stdout=_sp.DEVNULL, stderr=_sp.DEVNULL))
            for _ in range(200):
                if _os.path.exists(af):
                    break
                _time.sleep(0.05)
            urls[mode] = open(af).read().strip() if _os.path.exists(af) else ""
        check("the PostgreSQL lab instances started", urls["vuln"] and urls["hard"], urls)
        pv = urls["vuln"]
        rc, doc, err = scan_json(pv, "--no-discovery", "--spec", pv + "/openapi-pg.json")
        want = sorted(PLAIN + ["injection.sql-error"])
        got = rules(doc)
        check("apis-pg-vuln (PostgreSQL, concatenated SQL): exact rule ids", got == want and ran(doc),
              diff(want, got) + " " + str(how(doc)), raises=["injection.sql-error"])
        sq = sorted(f.get("location", {}).get("url", "").split("?")[0] + " " + f.get("evidence", "")
                    for f in doc.get("findings", []) if f["rule"] == "injection.sql-error")
        check("PostgreSQL: the server's own message on both routes, told as PostgreSQL",
              len(sq) == 2 and sq[0].startswith(pv + "/api/v1/invoices ")
              and sq[1].startswith(pv + "/api/v1/orders ")
              and all("PostgreSQL error" in x and "unterminated quoted string at or near" in x for x in sq)
              and "ERROR: unterminated quoted string" in re.sub(r"\s+", " ", sq[0])
              and "WHERE customer = 'wd''" in sq[1], sq)
        ph = urls["hard"]
        rc, doc, err = scan_json(ph, "--no-discovery", "--spec", ph + "/openapi-pg.json")
        clean("apis-pg-hard (PostgreSQL, bound parameters): none of ours", doc,
              [r for r in rules(doc) if r.startswith(OURS)])
        check("apis-pg-hard: the malformed values were sent and answered",
              ran(doc) and doc.get("requests", 0) >= 2 * 7 + 4 and "misconfig" in doc.get("score", {}).get("tested", []),
              (doc.get("requests"), doc.get("score", {}).get("tested")))
    finally:
        for a in apps:
            a.terminate()
            a.wait(10)
        pgc.stop()

# ---- input validation on a real MariaDB ------------------------------------
# Debian's MariaDB server (mylab.py: a scratch mariadbd on 127.0.0.1) and the
# apis lab with --mysql: /api/v1/customers pastes ?email= into a quoted
# string and answers {"error": str(e)} (PyMySQL's (code, "message") pair),
# /api/v1/shipments pastes ?order= bare and runs the query through the
# mariadb client, answering its stderr ("ERROR 1064 (42000) at line 1: ").
# The quote warden sends (wd', and the scan's error value warden'"x) leaves
# a quoted string open in both (in customers its own, in shipments the one
# it starts), which MariaDB reports
# as error 1064, "You have an error in your SQL syntax; check the manual
# that corresponds to your MariaDB server version for the right syntax to
# use near ..." followed by the text from the open quote on. mygo (Go's
# database/sql with go-sql-driver/mysql) pastes ?ref= into a quoted string
# and answers {"error": err.Error()}: the driver's "Error 1064: " and the
# message. The twins bind parameters: nothing reaches the SQL.
import shutil as _shutil

import mylab

_have_pymysql = _sp.run(["/usr/bin/python3", "-c", "import pymysql"], capture_output=True).returncode == 0
if not mylab.available() or not _have_pymysql:
    skip("input validation on a real MariaDB",
         "mariadb-server-core, mariadb-client-core or python3-pymysql not installed")
else:
    myc = None
    apps = []
    tmpd = None
    try:
        myc = mylab.MariaDB()
        url = myc.createdb("shop")
        myc.sql("root", "shop", "CREATE TABLE customers (id int PRIMARY KEY, email varchar(100) NOT NULL, "
                "name varchar(50) NOT NULL); INSERT INTO customers VALUES (1, 'alice@example.com', 'alice'), "
                "(2, 'bob@example.com', 'bob'); CREATE TABLE shipments (id int PRIMARY KEY, order_id int NOT NULL, "
                "carrier varchar(20) NOT NULL); INSERT INTO shipments VALUES (1, 1, 'post'), (2, 1, 'courier'); "
                "CREATE TABLE parcels (id int PRIMARY KEY, ref varchar(20) NOT NULL, status varchar(20) NOT NULL); "
                "INSERT INTO parcels VALUES (1, 'PX-1', 'sent')")
        tmpd = _tf.mkdtemp(prefix="warden-apis-my-")
        urls = {}
        # The apis lab (Flask) and mygo (Go, database/sql with Debian's
        # go-sql-driver/mysql; labctl builds it), each in both modes.
        mygo = _os.path.join(LAB, "bin", "mygo")
        for name, cmd in (("apis", ["/usr/bin/python3", _os.path.join(_os.path.dirname(__file__), "..", "lab",
                                                                      "apis", "app.py"), "--mysql", url]),
                          ("mygo", [mygo, "-mysql", url])):
            for mode in ("vuln", "hard"):
                af = _os.path.join(tmpd, name + "-" + mode + ".addr")
                if not _os.access(cmd[0], _os.X_OK):
                    break
                apps.append(_sp.Popen(cmd + ["--addr", "127.0.0.1:0", "--addr-file", af, "--mode", mode],
                                      stdout=_sp.DEVNULL, stderr=_sp.DEVNULL))
                for _ in range(200):
                    if _os.path.exists(af):
                        break
                    _time.sleep(0.05)
                urls[name + "-" + mode] = open(af).read().strip() if _os.path.exists(af) else ""
        check("the MariaDB lab instances started (apis and mygo, vuln and hard)",
              len(urls) == 4 and all(urls.values()), (urls, mygo))
        urls["vuln"], urls["hard"] = urls.get("apis-vuln", ""), urls.get("apis-hard", "")
        mv = urls["vuln"]
        rc, doc, err = scan_json(mv, "--no-discovery", "--spec", mv + "/openapi-mysql.json")
        want = sorted(PLAIN + ["injection.sql-error"])
        got = rules(doc)
        check("apis-my-vuln (MariaDB, concatenated SQL): exact rule ids", got == want and ran(doc),
              diff(want, got) + " " + str(how(doc)), raises=["injection.sql-error"])
        sq = sorted(f.get("location", {}).get("url", "").split("?")[0] + " " + f.get("evidence", "")
                    for f in doc.get("findings", []) if f["rule"] == "injection.sql-error")
        # Both the scan's error value (warden'"x) and inputval's quote
        # (wd') leave a string open; the finding keeps the smallest URL
        # of the route, whichever that is, so the checks hold for both.
        msg = ("You have an error in your SQL syntax; check the manual that corresponds to your "
               "MariaDB server version for the right syntax to use near ")
        check("MariaDB: the server's own message on both routes, told as MariaDB",
              len(sq) == 2 and sq[0].startswith(mv + "/api/v1/customers ")
              and sq[1].startswith(mv + "/api/v1/shipments ")
              and all("with a MariaDB error" in x and msg in x for x in sq)
              and '{"error":"(1064, ' in sq[0] and " at line 1" in sq[0]
              and "ERROR 1064 (42000) at line 1: You have an error" in sq[1], sq)
        mh = urls["hard"]
        rc, doc, err = scan_json(mh, "--no-discovery", "--spec", mh + "/openapi-mysql.json")
        clean("apis-my-hard (MariaDB, bound parameters): none of ours", doc,
              [r for r in rules(doc) if r.startswith(OURS)])
        check("apis-my-hard: the malformed values were sent and answered",
              ran(doc) and doc.get("requests", 0) >= 2 * 7 + 4 and "misconfig" in doc.get("score", {}).get("tested", []),
              (doc.get("requests"), doc.get("score", {}).get("tested")))
        # Go's driver words the server's error "Error 1064: <message>"
        # (go-sql-driver/mysql 1.5, Debian's), in {"error": err.Error()}.
        gv = urls["mygo-vuln"]
        rc, doc, err = scan_json(gv, "--no-discovery", "--spec", gv + "/openapi.json")
        want = ["injection.sql-error", "transport.no-https", "transport.no-nosniff"]
        got = rules(doc)
        check("mygo-vuln (Go, MariaDB, concatenated SQL): exact rule ids", got == want and ran(doc),
              diff(want, got) + " " + str(how(doc)), raises=["injection.sql-error"])
        gq = [f for f in doc.get("findings", []) if f["rule"] == "injection.sql-error"]
        check("mygo-vuln: Go's driver's text of error 1064, told as MariaDB",
              len(gq) == 1 and gq[0].get("location", {}).get("url", "").startswith(gv + "/api/v1/parcels?ref=")
              and "with a MariaDB error" in gq[0].get("evidence", "")
              and '{"error":"Error 1064: ' + msg in gq[0].get("evidence", ""), gq)
        gh = urls["mygo-hard"]
        rc, doc, err = scan_json(gh, "--no-discovery", "--spec", gh + "/openapi.json")
        clean("mygo-hard (Go, MariaDB, bound parameter): none of ours", doc,
              [r for r in rules(doc) if r.startswith(OURS)])
        check("mygo-hard: exact rule ids, and the malformed values were sent",
              rules(doc) == ["transport.no-https"] and ran(doc) and doc.get("requests", 0) >= 7
              and "misconfig" in doc.get("score", {}).get("tested", []),
              (rules(doc), doc.get("requests"), doc.get("score", {}).get("tested")))
    except RuntimeError as e:
        check("the scratch MariaDB server started and took the tables", False, str(e))
    finally:
        for a in apps:
            a.terminate()
            a.wait(10)
        if myc:
            myc.stop()
        if tmpd:
            _shutil.rmtree(tmpd, ignore_errors=True)

done()
