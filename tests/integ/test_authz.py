#!/usr/bin/env python3
"""Authorization and data exposure (issue 14) against the lab's authz
service (tests/lab/authz: Echo v4 + golang-jwt, two real users whose
tokens it mints at start): exact rule ids on the vulnerable instance and
only the fingerprint on its hardened twin, read-only and with --active,
with two identities (--as2) and with one.

Each scan starts from the service's initial data (POST /__reset, a lab
control route outside the spec), so an --active run never depends on
another."""
import json
import os
import re
import urllib.request
import ssl

from harness import CA, LAB, check, clean, done, lab_url, ran, rules, scan_json, how

RUN = os.path.join(LAB, "run")


def token(inst, which="token"):
    with open(os.path.join(RUN, "%s.%s" % (inst, which))) as f:
        return f.read().strip()


def reset(url):
    ctx = ssl.create_default_context(cafile=CA)
    req = urllib.request.Request(url + "/__reset", method="POST")
    with urllib.request.urlopen(req, timeout=10, context=ctx) as r:
        assert r.status == 204


def scan(inst, *extra, as2=True, keys=False):
    url = lab_url(inst)
    reset(url)
    if keys:
        args = ["--api-key", "X-API-Key=" + token(inst, "key"), "--as2", "api-key:" + token(inst, "key-as2")]
    else:
        args = ["--bearer", token(inst)]
        if as2:
            args += ["--as2", "bearer:" + token(inst, "token-as2")]
    return scan_json(url, *args, *extra)


# What the HTTP vulnerable instance raises whatever the identities: the
# data leaks (one per route and kind; the database URL is on a public
# route; /api/v1/billing's tax_id is a CPF whose check digits hold; alice
# learns her own address from /api/v1/me, and /api/v1/users and
# /api/v1/team hold other people's: data.other-user-email, but not the
# team's support@ address nor alice's own as lead), API3 on /api/v1/me, sequential order ids, and the transport and
# token-over-http rules any plain-HTTP lab service gets.
BASE = ["auth.credential-over-http", "bola.sequential-ids", "data.card-number",
        "data.cloud-credential", "data.db-url-password", "data.iban", "data.jwt-other-subject",
        "data.national-id", "data.other-user-email", "data.pii-bulk", "data.private-key", "fingerprint.framework", "property.internal-field",
        "property.password-hash", "property.secret-field", "transport.no-https",
        "transport.no-nosniff"]
# Two identities: identity 2 reads identity 1's order; it also gets the
# forgotten /api/v1/internal, the route the spec tags admin
# (/api/v1/reports/finance) and the admin-named /api/v1/admin/audit,
# which under a JWT is the JWT check's bfla.scope-not-enforced.
TWO = BASE + ["bola.object-read-by-other", "bfla.undocumented-route", "bfla.scope-not-enforced",
              "bfla.admin-route"]
# One identity: the order next to alice's own is bob's (owner_id).
ONE = BASE + ["bola.adjacent-object"]
# The vulnerable handlers decode any body as JSON whatever its type
# (encoding/json on the request body, no Content-Type check): with
# --active, inputval's text/plain and form copies of a spec write's example
# are accepted: inputval.content-type-confusion (the twin answers 415).
ACTIVE = TWO + ["bola.object-write-by-other", "property.mass-assignment", "bfla.method-gap",
                "inputval.content-type-confusion"]
# API keys (no JWT: no subject to compare tokens with): the admin-named
# route is this check's bfla.admin-route.
KEYS = [r for r in BASE if r != "data.jwt-other-subject"] + [
    "bola.object-read-by-other", "bfla.undocumented-route", "bfla.admin-route"]


def exact(name, doc, want):
    got = rules(doc)
    check(name + ": exact rule ids", got == sorted(want),
          "missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))),
          raises=want)
    check(name + ": the scan ran complete", ran(doc), how(doc))


def finding(doc, rule):
    return [f for f in doc.get("findings", []) if f["rule"] == rule]


# 1. Vulnerable, read-only, two identities.
rc, doc, err = scan("authz-vuln")
exact("authz-vuln --as2", doc, TWO)
out = json.dumps(doc)
check("authz-vuln --as2: no write in the default mode", doc.get("writes") == [], doc.get("writes"))
db = finding(doc, "data.db-url-password")
check("database URL on a public route: one step worse (critical), said in the title",
      db and db[0]["severity"] == "critical" and "without credentials" in db[0]["title"], db)
card = finding(doc, "data.card-number")
check("card number on a secured route: high", card and card[0]["severity"] == "high", card)
om = finding(doc, "data.other-user-email")
check("other users' e-mails: /api/v1/team (2 of them, not alice's own nor support@) and "
      "/api/v1/users (4), as identity 1, own learned from GET /api/v1/me",
      sorted((f["location"]["url"].rsplit("/", 1)[-1], re.search(r": (\d+) e-mail", f.get("evidence") or "").group(1)
              if re.search(r": (\d+) e-mail", f.get("evidence") or "") else None) for f in om)
      == [("team", "2"), ("users", "4")] and
      all("GET /api/v1/me" in f["evidence"] and "identity 1" in f["evidence"] for f in om) and
      "@lab.invalid" not in json.dumps(om), om)
nat = finding(doc, "data.national-id")
check("national id: the CPF on /api/v1/billing, medium, named and masked",
      nat and nat[0]["severity"] == "medium" and nat[0]["location"]["url"].endswith("/api/v1/billing")
      and "BR CPF" in (nat[0].get("evidence") or "") and "****" in nat[0]["evidence"], nat)
bola = finding(doc, "bola.object-read-by-other")
check("BOLA evidence: identity 2 got identity 1's order, no credential refused",
      bola and "/api/v1/orders/" in bola[0]["location"]["url"] and
      "same object" in (bola[0].get("evidence") or "") and "no credential -> 401" in bola[0]["evidence"],
      bola)
# Every value masked: the lab's card, IBAN, passwords, keys and tokens.
leaked = [v for v in ["whsec-lab-5Qm2Lp9Xz7", "4111 1111 1111 1111", "GB82 WEST", "529.982.247-25", "52998224725", "Sh0p-Pa55-lab-7731", "IOSFODNN7EXAMPLE",
                      "ghp_aB3d", "$2a$10$N9qo8", "MC4CAQAwBQYDK2VwBCIEI", token("authz-vuln"),
                      token("authz-vuln", "token-as2")] if v in out]
leaked += re.findall(r"eyJ[A-Za-z0-9_-]{6,}", out)
check("no leaked value in the report (cards, IBAN, passwords, keys, tokens masked)", not leaked,
      leaked[:3])
# With the spec's response schema for /api/v1/me (id, username, email):
# the hash is flagged as undeclared, the other extra properties are an
# inventory note.
ph = finding(doc, "property.password-hash")
check("password hash: the evidence says the spec does not declare it",
      ph and "not declared in the spec" in (ph[0].get("evidence") or ""), ph)
check("inventory note: /api/v1/me answers undeclared properties (phone among them)",
      any(n.startswith("inventory: GET /api/v1/me answers") and "phone" in n
          for n in doc.get("notes", [])), doc.get("notes"))
sc = doc.get("score", {})
check("bola, property and data are tested categories with a score",
      {"bola", "property", "data"} <= set(sc.get("tested", [])) and
      all(isinstance(sc.get("categories", {}).get(c), int) for c in ("bola", "property", "data")), sc)

# 2. Vulnerable, one identity: adjacent ids, not the two-identity rule.
rc, doc, err = scan("authz-vuln", as2=False)
exact("authz-vuln one identity", doc, ONE)
adj = finding(doc, "bola.adjacent-object")
check("adjacent id: another owner's order, judged by owner_id",
      adj and "owner_id" in (adj[0].get("evidence") or ""), adj)

# 3. Vulnerable, --active, two identities: writes within the budget.
rc, doc, err = scan("authz-vuln", "--active")
exact("authz-vuln --active --as2", doc, ACTIVE)
w = doc.get("writes") or []
check("--active: writes listed, none of them DELETE, within the default budget of 25",
      0 < len(w) <= 25 and not any(x["method"] == "DELETE" for x in w), w)
mass = finding(doc, "property.mass-assignment")
check("mass assignment: role and is_admin stuck on the read-back",
      mass and '"role": "user" -> "admin"' in (mass[0].get("evidence") or ""), mass)
# The restore: bob's role and is_admin put back with a PATCH of their
# values before (the lab binds them), said in a note and listed as a
# write; bob's own profile, read after the scan, is a user's again.
check("mass assignment: the restore is said in a note",
      any(n.startswith("mass assignment: restored role, is_admin on /api/v1/me") for n in doc.get("notes", [])),
      doc.get("notes"))
pm = [x for x in w if x["method"] == "PATCH" and x["url"].endswith("/api/v1/me")]
# Five: the spec's PATCH, the test's, the restore, and inputval's example
# as text/plain (decoded: 200) and as a form (not JSON: 400).
check("mass assignment: the restore is listed with the writes (the spec's PATCH, the test's, the restore, "
      "and the two undeclared-type copies)",
      len(pm) == 5 and sorted(x["status"] for x in pm) == [200, 200, 200, 200, 400], pm)
ctc = sorted((f["location"]["method"], f["location"]["url"].rsplit("/api/", 1)[-1], f["evidence"].split(" sent as ")[1].split(":")[0])
             for f in finding(doc, "inputval.content-type-confusion"))
check("content-type confusion: PATCH /api/v1/me as text/plain, POST /api/v1/orders as text/plain and as a form",
      ctc == [("PATCH", "v1/me", "text/plain"), ("POST", "v1/orders", "application/x-www-form-urlencoded"),
              ("POST", "v1/orders", "text/plain")], ctc)
ctx = ssl.create_default_context(cafile=CA)
req = urllib.request.Request(lab_url("authz-vuln") + "/api/v1/me",
                             headers={"Authorization": "Bearer " + token("authz-vuln", "token-as2")})
with urllib.request.urlopen(req, timeout=10, context=ctx) as r:
    bob = json.load(r)
check("mass assignment: bob is a user again after the scan (role user, is_admin false)",
      bob.get("role") == "user" and bob.get("is_admin") is False, {k: bob.get(k) for k in ("role", "is_admin")})
# A restore that cannot be sent: the same run with --max-writes one short
# of the restore (the last PATCH /api/v1/me above) sends the mass
# assignment but not its restore, and a note says to set it back by hand.
last = max(i for i, x in enumerate(w) if x["method"] == "PATCH" and x["url"].endswith("/api/v1/me"))
rc, doc, err = scan("authz-vuln", "--active", "--max-writes", str(last))
check("mass assignment without budget for the restore: still found, and a note says it was not restored",
      finding(doc, "property.mass-assignment") and
      any(n.startswith("mass assignment: PATCH /api/v1/me changed role, is_admin, which could not be restored")
          and "by hand" in n for n in doc.get("notes", [])), doc.get("notes"))

gap = finding(doc, "bfla.method-gap")
check("method gap: GET refused to bob, PUT accepted from him",
      gap and "/api/v1/settings/site" in gap[0]["location"]["url"] and gap[0]["location"]["method"] == "PUT",
      gap)

# 4. Vulnerable, API keys for both identities.
rc, doc, err = scan("authz-vuln", keys=True)
exact("authz-vuln API keys --as2", doc, KEYS)
adm = finding(doc, "bfla.admin-route")
check("admin route: /api/v1/admin/audit (by path) answered to bob's key",
      any(a["location"]["url"].endswith("/api/v1/admin/audit") for a in adm), adm)
sc = doc.get("score", {})
check("bola, bfla, property and data are tested categories with a score",
      {"bola", "bfla", "property", "data"} <= set(sc.get("tested", [])), sc.get("tested"))

# 5. BOLA without a spec (authz-nospec-*: no /openapi.json; GET / answers
# an index of links to /api/v1/orders, /api/v1/products, /api/v1/me and a
# logout link). warden follows the links, reads alice's order ids (1001,
# 1003) from the list and derives /api/v1/orders/{id}; bob reads them
# (no owner check) and no credential gets 401: bola.object-read-by-other.
# The products (ids 1-3) answer the same to no credential: public, not a
# finding. The order ids are sequential on a route no credential is
# refused: bola.sequential-ids. /api/v1/me gives the hash and
# internal_notes. No spec: no bfla or data finding (no admin route, card
# or PII route is linked), and auth.credential-over-http needs the auth
# check's spec routes.
NOSPEC_BASE = ["bola.sequential-ids", "fingerprint.framework", "property.internal-field",
               "property.password-hash", "transport.no-https", "transport.no-nosniff"]
rc, doc, err = scan("authz-nospec-vuln")
exact("authz-nospec-vuln --as2 (no spec)", doc, NOSPEC_BASE + ["bola.object-read-by-other"])
check("no spec: the scan had none (no spec fact)", ran(doc) and "spec" not in (doc.get("facts") or {}),
      doc.get("facts"))
bola = finding(doc, "bola.object-read-by-other")
check("no spec: the order route was derived from the list's ids and read by bob",
      bola and re.search(r"/api/v1/orders/100[13]$", bola[0]["location"]["url"]) and
      "found without a spec" in (bola[0].get("evidence") or "") and
      "no credential -> 401" in bola[0]["evidence"], bola)
check("no spec: no product (public objects) flagged",
      not any("/products" in f["location"]["url"] for f in doc.get("findings", [])), bola)
seq = finding(doc, "bola.sequential-ids")
check("no spec: sequential ids on the derived route /api/v1/orders/{id}",
      seq and "/api/v1/orders/{id}" in (seq[0].get("evidence") or ""), seq)
rc, doc, err = scan("authz-nospec-vuln", as2=False)
exact("authz-nospec-vuln one identity (no spec)", doc, NOSPEC_BASE + ["bola.adjacent-object"])
adj = finding(doc, "bola.adjacent-object")
check("no spec: the order next to alice's is bob's (owner_id 2)",
      adj and '"owner_id": 2' in (adj[0].get("evidence") or ""), adj)
for name, two in [("authz-nospec-hard --as2 (no spec)", True), ("authz-nospec-hard one identity (no spec)", False)]:
    rc, doc, err = scan("authz-nospec-hard", as2=two)
    clean(name + ": only the fingerprint", doc, rules(doc), ["fingerprint.framework"])
    # Tested means judged: bob was refused alice's orders (UUIDs, owner
    # checks), and the ids on the secured order route are not sequential.
    check(name + ": bola tested (the derived objects were judged)",
          "bola" in doc.get("score", {}).get("tested", []), doc.get("score", {}).get("tested"))
# The index's logout link was never followed (nor any in the other scans).
for inst in ("authz-nospec-vuln", "authz-nospec-hard"):
    ctx = ssl.create_default_context(cafile=CA)
    with urllib.request.urlopen(lab_url(inst) + "/__stats", timeout=10, context=ctx) as r:
        st = json.load(r)
    check(inst + ": the logout link was never followed", st.get("logout") == 0, st)

# 6. The hardened twin: only the fingerprint, in every mode.
for name, extra, two, keys in [("authz-hard --as2", (), True, False),
                               ("authz-hard one identity", (), False, False),
                               ("authz-hard --active --as2", ("--active",), True, False),
                               ("authz-hard API keys --as2", (), True, True)]:
    rc, doc, err = scan("authz-hard", *extra, as2=two, keys=keys)
    clean(name + ": only the fingerprint", doc, rules(doc), ["fingerprint.framework"])
    check(name + ": no undeclared property on /api/v1/me",
          not any("GET /api/v1/me answers" in n for n in doc.get("notes", [])), doc.get("notes"))
    sc = doc.get("score", {})
    check(name + ": data and property tested%s" % (", bola too" if two else ""),
          {"data", "property"} | ({"bola"} if two else set()) <= set(sc.get("tested", [])), sc.get("tested"))
    if extra:
        check(name + ": the writes were sent (and refused where they should be)",
              any(x["method"] == "PATCH" and x["status"] == 404 for x in doc.get("writes", [])),
              doc.get("writes"))
done()
