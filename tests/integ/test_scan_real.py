"""warden scan against real services from Debian (tests/lab/realctl.sh):
the exact exposure rule ids (endpoint.*) on each vulnerable instance, none on
its locked-down twin, and the product recognised. An instance that could not
start is a visible SKIP with the reason."""
import os

from harness import CA, LAB, check, done, rules, scan_json, skip

RUN = os.path.join(LAB, "run")

# Why each id is expected (the instance's configuration in realctl.sh):
EXPECT = {
    # no auth, --web.enable-admin-api; Prometheus mounts net/http/pprof and
    # serves its own /metrics
    "prometheus-vuln": (["endpoint.metrics", "endpoint.pprof", "endpoint.prometheus-admin-api",
                         "endpoint.prometheus-api"], "prometheus"),
    # --enable-v2 without client certificates: /v2/keys/ answers; /metrics
    # and expvar's /debug/vars are on the client port
    "etcd-vuln": (["endpoint.etcd", "endpoint.expvar", "endpoint.metrics"], "etcd"),
    # the admin endpoint also serves Caddy's /metrics and Go's /debug/pprof/
    # and /debug/vars
    "caddy-vuln": (["endpoint.caddy-admin", "endpoint.expvar", "endpoint.metrics", "endpoint.pprof"],
                   "caddy"),
    "nats-vuln": (["endpoint.nats-monitoring"], "nats"),
    # packaged defaults: auth-enabled false, pprof-enabled true; 1.6 also
    # serves /debug/vars and /metrics (without auth even when it is on)
    "influxdb-vuln": (["endpoint.expvar", "endpoint.influxdb", "endpoint.metrics", "endpoint.pprof"],
                      "influxdb"),
    # token and password off; the notebook's /metrics loses its auth too
    "jupyter-vuln": (["endpoint.jupyter", "endpoint.metrics"], "jupyter"),
    # `podman system service tcp:...`: the Docker-compatible and libpod
    # APIs, no authentication, no other Go debug routes
    "podman-vuln": (["endpoint.docker-api"], "podman"),
}
TWINS = ["prometheus-hard", "etcd-hard", "caddy-hard", "nats-hard", "influxdb-hard", "jupyter-hard",
         "podman-hard"]


def url_of(inst):
    skip = os.path.join(RUN, inst + ".skip")
    if os.path.exists(skip):
        with open(skip) as f:
            return None, f.read().strip()
    path = os.path.join(RUN, inst + ".url")
    if not os.path.exists(path):
        return None, "not started (run tests/lab/labctl.sh start)"
    with open(path) as f:
        return f.read().strip(), None


def endpoint_rules(doc):
    return [r for r in rules(doc) if r.startswith("endpoint.")]


def ran(doc):
    return doc.get("status") == "complete" and doc.get("requests", 0) > 0


for inst, (want, product) in EXPECT.items():
    url, why = url_of(inst)
    if not url:
        skip(inst, why)
        continue
    rc, doc, err = scan_json(url)
    got = endpoint_rules(doc)
    check(inst + ": scan ran (complete, requests > 0)", ran(doc), (doc.get("status"), err[:300]))
    check(inst + ": exact exposure rule ids", ran(doc) and got == sorted(want),
          "missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))),
          raises=want)
    products = doc.get("facts", {}).get("products", "")
    check(inst + ": product " + product, product in [p.strip() for p in products.split(",")], products)
    check(inst + ": exit 1 on findings", rc == 1, rc)
    # Go's stock "404 page not found" is net/http's, not chi's: none of
    # these products routes with chi.
    check(inst + ": not fingerprinted as chi", doc.get("framework") != "chi", doc.get("framework"))

for inst in TWINS:
    url, why = url_of(inst)
    if not url:
        skip(inst, why)
        continue
    extra = []
    if inst == "etcd-hard":
        # client-cert-auth: the scan holds a certificate, so every answer
        # came with a credential and none is evidence of exposure.
        extra = ["--cert", os.path.join(LAB, "certs", "client.pem"),
                 "--key", os.path.join(LAB, "certs", "client-key.pem")]
    rc, doc, err = scan_json(url, *extra)
    check(inst + ": scan ran (complete, requests > 0)", ran(doc), (doc.get("status"), err[:300]))
    check(inst + ": no exposure finding", ran(doc) and endpoint_rules(doc) == [], endpoint_rules(doc))

# Without the certificate the hardened etcd refuses the handshake: nothing
# to scan, exit 3, never a finding.
url, why = url_of("etcd-hard")
if url:
    rc, doc, err = scan_json(url)
    check("etcd-hard without a client certificate: refused (exit 3), no finding",
          rc == 3 and endpoint_rules(doc) == [], (rc, endpoint_rules(doc)))
done()
