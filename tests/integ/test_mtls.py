"""Mutual TLS and TLS: the mtls.* and tls.* rules on the chimtls and nginx
lab instances (exact ids on the vulnerable ones, none on the hardened
ones), the server-certificate rules against throwaway `openssl s_server`
instances, and the certificate bad-input errors (exit 2 naming the file,
exit 3 naming the URL). Every connection goes to 127.0.0.1."""
import os
import shutil
import subprocess
import tempfile

from harness import CA, LAB, UNREADABLE, check, done, how, lab_url, ran, report, rules, scan_json, warden, start_listening

CERTS = os.path.join(LAB, "certs")
CLIENT = ["--cert", os.path.join(CERTS, "client.pem"), "--key", os.path.join(CERTS, "client-key.pem")]


def tls_rules(doc):
    return [r for r in rules(doc) if r.startswith(("mtls.", "tls.")) or r == UNREADABLE]


def one_line(err):
    return len(err.strip().splitlines()) == 1


EXPECT = {
    # verifyClientCert returns nil; admin route for any client; TLS 1.0, CBC-SHA1 only.
    "chimtls-vuln": ["mtls.any-cert-accepted", "mtls.expired-cert-accepted",
                     "mtls.identity-not-mapped", "mtls.no-eku-accepted",
                     "tls.old-protocol", "tls.weak-cipher"],
    # RequireAndVerifyClientCert + lab CA + subject allowlist, TLS 1.2+, AEAD.
    "chimtls-hard": [],
    # ssl_verify_client optional_no_ca: data without a certificate, and a
    # self-signed one from an unknown CA taken (the forged ones are always
    # sent when the server asks for a certificate); optional_no_ca forgives
    # only the CA errors, so expiry and key usage still get 400.
    "nginx-mtls-optional": ["mtls.any-cert-accepted", "mtls.optional-client-cert"],
    # One Go crypto/tls client-auth mode each, no app-level check (chimtls
    # -client-auth MODE): what the mode itself lets through.
    "chimtls-request": ["mtls.any-cert-accepted", "mtls.expired-cert-accepted",
                        "mtls.no-eku-accepted", "mtls.optional-client-cert"],
    "chimtls-requireany": ["mtls.any-cert-accepted", "mtls.expired-cert-accepted",
                           "mtls.no-eku-accepted"],
    "chimtls-callback": ["mtls.any-cert-accepted", "mtls.expired-cert-accepted",
                         "mtls.no-eku-accepted"],
    "chimtls-ifgiven": ["mtls.optional-client-cert"],
    "chimtls-requireverify": [],
    # ssl_verify_client on: HTTP 400 without a valid certificate.
    "nginx-mtls-on": [],
}

for inst, want in EXPECT.items():
    url = lab_url(inst)
    rc, doc, err = scan_json(url, *CLIENT)
    got = tls_rules(doc)
    check(inst + ": exact mtls/tls rule ids", ran(doc) and got == sorted(want),
          "missing %s, unexpected %s %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want)),
                                            "" if ran(doc) else how(doc)), raises=want)
    check(inst + ": status complete", doc.get("status") == "complete", (rc, err, doc.get("notes")))
    check(inst + ": exit %d" % (1 if want else 0), rc == (1 if want else 0), "rc=%d %s" % (rc, err))
    if inst in ("chimtls-vuln", "chimtls-hard"):
        host = "container.command-output" in rules(doc)
        check(inst + ": admin route " + ("returns docker ps" if want else "closed to CN=warden-client"),
              ran(doc) and host == bool(want), (rules(doc), how(doc)))

# Evidence and remediation name the client-auth mode the server behaves like.
MODES = {"chimtls-request": ("mtls.any-cert-accepted", "tls.RequestClientCert"),
         "chimtls-requireany": ("mtls.any-cert-accepted", "tls.RequireAnyClientCert"),
         "chimtls-callback": ("mtls.any-cert-accepted", "VerifyPeerCertificate callback that returns nil"),
         "chimtls-ifgiven": ("mtls.optional-client-cert", "tls.VerifyClientCertIfGiven"),
         "nginx-mtls-optional": ("mtls.optional-client-cert", "optional_no_ca")}
for inst, (rule, mode) in MODES.items():
    rc, doc, err = scan_json(lab_url(inst), *CLIENT)
    ev = [f["evidence"] for f in doc.get("findings", []) if f["rule"] == rule]
    check(inst + ": evidence names " + mode, ev and mode in ev[0] and "fix: " in ev[0], ev)
rc, doc, err = scan_json(lab_url("chimtls-requireverify"), "-v", *CLIENT)
check("chimtls-requireverify: -v names RequireAndVerifyClientCert, nothing flagged",
      "tls.RequireAndVerifyClientCert" in err and tls_rules(doc) == [] and
      doc.get("status") == "complete", (tls_rules(doc), err[-400:]))

# The critical finding sits on the route that returns host data, and the
# correlation ties the two together.
rc, doc, err = scan_json(lab_url("chimtls-vuln"), *CLIENT)
anyc = [f for f in doc.get("findings", []) if f["rule"] == "mtls.any-cert-accepted"]
check("chimtls-vuln: any-cert-accepted is critical on the admin route",
      anyc and anyc[0]["severity"] == "critical" and
      anyc[0]["location"]["url"].endswith("/api/v1/admin/containers"), anyc)
check("chimtls-vuln: chain.unauthenticated-host-data from the forged certificate",
      "chain.unauthenticated-host-data" in rules(doc), rules(doc),
      raises=["chain.unauthenticated-host-data"])
check("chimtls-vuln: evidence names the refusal without a certificate",
      anyc and "no client certificate -> HTTP 401" in anyc[0].get("evidence", ""), anyc)

# nginx with ssl_verify_client on answers 400 without a certificate: the
# scan runs (no handshake failure), and nothing mTLS is flagged.
rc, doc, err = scan_json(lab_url("nginx-mtls-on"))
check("nginx-mtls-on without --cert: scanned, no mtls findings",
      rc == 0 and ran(doc) and tls_rules(doc) == [], (rc, tls_rules(doc), err, how(doc)))

# chimtls-hard refuses in the handshake: no certificate, or a valid one
# whose subject is not on the allowlist -> exit 3, one line naming the URL.
hard = lab_url("chimtls-hard")
for label, extra in [("no certificate", []),
                     ("CN=warden-denied", ["--cert", os.path.join(CERTS, "denied.pem"),
                                           "--key", os.path.join(CERTS, "denied-key.pem")])]:
    rc, out, err = warden("scan", "-q", "--cacert", CA, *extra, hard)
    check("chimtls-hard, %s: exit 3 naming the URL" % label,
          rc == 3 and hard in err and one_line(err), (rc, err))

# Bad input.
tmp = tempfile.mkdtemp(prefix="warden-mtls-")
notpem = os.path.join(tmp, "notpem.pem")
with open(notpem, "w") as f:
    f.write("this is not a certificate\n")
unreadable = os.path.join(tmp, "unreadable.pem")
shutil.copy(os.path.join(CERTS, "client.pem"), unreadable)
os.chmod(unreadable, 0)
client_pem = os.path.join(CERTS, "client.pem")
admin_key = os.path.join(CERTS, "admin-key.pem")
url = lab_url("chimtls-vuln")
cases = [
    ("--cert missing file", ["--cert", "/nonexistent/client.pem", "--key", admin_key], "/nonexistent/client.pem"),
    ("--cert not PEM", ["--cert", notpem, "--key", admin_key], "--cert " + notpem + ": not a PEM certificate"),
    ("--key not PEM", ["--cert", client_pem, "--key", notpem], "--key " + notpem + ": not an unencrypted PEM private key"),
    ("--key of another certificate", ["--cert", client_pem, "--key", admin_key],
     "--key %s: does not match --cert %s" % (admin_key, client_pem)),
    ("--cacert not PEM", ["--cacert", notpem], "--cacert " + notpem + ": no PEM certificate"),
]
if os.geteuid() != 0:  # root reads a mode-000 file anyway
    cases.append(("--cert unreadable", ["--cert", unreadable, "--key", admin_key], unreadable))
for label, extra, needle in cases:
    rc, out, err = warden("scan", "-q", *extra, url)
    check("bad input, %s: exit 2 naming the file" % label,
          rc == 2 and needle in err and one_line(err), (rc, err))
# A CA that did not sign the server certificate: the target cannot be scanned.
other_ca = os.path.join(CERTS, "other-ca.pem")
rc, out, err = warden("scan", "-q", "--cacert", other_ca, *CLIENT, url)
check("wrong --cacert: exit 3 naming the URL", rc == 3 and url in err and one_line(err), (rc, err))


# Server certificates: openssl s_server with throwaway certificates.


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, capture_output=True, cwd=tmp)


openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "k.pem", "-out", "self.pem", "-subj", "/CN=elsewhere.example", "-days", "30")
openssl("req", "-new", "-key", "k.pem", "-subj", "/CN=old.example", "-out", "old.csr")
openssl("x509", "-req", "-in", "old.csr", "-signkey", "k.pem", "-days", "-1", "-out", "expired.pem")


def s_server(cert):
    p, port = start_listening(lambda port: [
        "openssl", "s_server", "-accept", "127.0.0.1:%d" % port,
        "-cert", os.path.join(tmp, cert), "-key", os.path.join(tmp, "k.pem"), "-www", "-quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if port is None:
        raise SystemExit("openssl s_server did not start on a port of its own")
    return p, "https://127.0.0.1:%d/" % port


for cert, extra, want in [
        ("expired.pem", [], ["tls.cert-expired", "tls.cert-name-mismatch", "tls.cert-self-signed"]),
        ("self.pem", [], ["tls.cert-name-mismatch", "tls.cert-self-signed"]),
        # Pinned with --cacert: no longer "self-signed", still the wrong name.
        ("self.pem", ["--cacert", os.path.join(tmp, "self.pem")], ["tls.cert-name-mismatch"])]:
    proc, surl = s_server(cert)
    try:
        rc, out, err = warden("scan", "-q", "-f", "json", "-k", "--no-discovery", *extra, surl)
        got = tls_rules(report(out, "scan " + surl, err))
        check("s_server %s %s: %s" % (cert, "pinned" if extra else "", ", ".join(want)),
              got == want, got, raises=want)
    finally:
        proc.terminate()
        proc.wait(timeout=5)
shutil.rmtree(tmp, ignore_errors=True)
done()
