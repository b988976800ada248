#!/usr/bin/python3
"""Config file (.warden.yml / --config FILE), `warden config print`,
--version, the man page and the shell completions (issue 16)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import TOP, check, done  # noqa: E402

WARDEN = os.environ.get("WARDEN", os.path.join(TOP, "build", "warden"))
tmp = tempfile.mkdtemp(prefix="warden-config-")
shutil.copy(os.path.join(TOP, "tests", "reports", "fixture", "docker-compose.yml"), tmp)


def run(*args, cwd=tmp, env=None):
    p = subprocess.run([WARDEN] + list(args), cwd=cwd, capture_output=True, text=True, timeout=120,
                       env=env)
    return p.returncode, p.stdout, p.stderr


def write(name, text):
    with open(os.path.join(tmp, name), "w") as f:
        f.write(text)


# The fixture has one critical, one high and one low finding: with
# fail-on critical the exit is 1, with fail-on none it is 0.
write(".warden.yml", "# project defaults\nfail-on: none\nformat: json\n"
      "report:\n  - md:summary.md\niac:\n  sarif-base: .\n")
rc, out, err = run("iac", "docker-compose.yml")
doc = json.loads(out) if out.startswith("{") else {}
check(".warden.yml: format and fail-on from the file (JSON on stdout, exit 0)",
      rc == 0 and doc.get("kind") == "iac" and len(doc.get("findings", [])) == 3, (rc, err, out[:100]))
check(".warden.yml: repeatable report written", os.path.exists(os.path.join(tmp, "summary.md")))
rc, out, err = run("iac", "--fail-on", "high", "-f", "term", "docker-compose.yml")
check("command line wins over the file (fail-on high -> exit 1, term output)",
      rc == 1 and not out.startswith("{") and "warden iac" in out, (rc, out[:80]))
write("other.yml", "fail-on: critical\nformat: jsonl\n")
rc, out, err = run("iac", "--config", "other.yml", "docker-compose.yml")
check("--config FILE replaces .warden.yml", rc == 1 and out.splitlines()[-1].startswith('{"type":"summary"'),
      (rc, out[-200:]))
rc, out, err = run("iac", "--config=other.yml", "--fail-on=none", "docker-compose.yml")
check("--config=FILE form, and the command line still wins", rc == 0, (rc, err))

for text, want in (("fail-on: high\nfial-on: low\n", "bad.yml:2: unknown key 'fial-on'"),
                   ("concurrency: 4\n", "bad.yml:1: 'concurrency' belongs in the 'scan:' section"),
                   ("scan:\n  concurrency: 4\n  spec: x.json\n  colour: no\n", "bad.yml:4: unknown key 'colour'"),
                   ("iac:\n  list-rules: maybe\n", "bad.yml:2: list-rules: expected true or false"),
                   ("fail-on: [high, low\n", "bad.yml:2:"),
                   ("- fail-on\n", "bad.yml:1: expected a mapping")):
    write("bad.yml", text)
    cmd = "scan" if "scan:" in text or "concurrency" in text else "iac"
    args = ["http://127.0.0.1:9/"] if cmd == "scan" else ["docker-compose.yml"]
    rc, out, err = run(cmd, "--config", "bad.yml", *args)
    check("bad config -> exit 2, '%s'" % want, rc == 2 and want in err and
          len(err.strip().splitlines()) == 1, (rc, err))
rc, out, err = run("iac", "--config", "missing.yml", "docker-compose.yml")
check("missing --config file -> exit 2 naming it", rc == 2 and "missing.yml: cannot read" in err, err)

# config print: the effective options, secrets masked.
write("scan.yml", "scan:\n  bearer: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2VjcmV0LXNpZ25hdHVyZQ\n"
      "  api-key: X-API-Key=topsecretvalue123\n  header: [\"X-Env: staging\"]\n  spec: api.json\n"
      "fail-on: medium\n")
rc, out, err = run("config", "print", "scan", "--config", "scan.yml", "--fail-on", "high",
                   "--cookie", "session=abcdef123456", "http://127.0.0.1:8080/")
check("config print: exit 0, every option listed", rc == 0 and "spec: \"api.json\"" in out and
      "args:\n  - \"http://127.0.0.1:8080/\"" in out, (rc, err, out))
check("config print: later (command line) fail-on listed after the file's", 'fail-on:\n  - "medium"\n  - "high"' in out, out)
check("config print: secrets masked", "topsecretvalue123" not in out and "c2VjcmV0" not in out and
      "abcdef123456" not in out and 'api-key: "X-API-Key=****"' in out and 'bearer: "****"' in out, out)
rc, out, err = run("config", "print", "nope")
check("config print: unknown command -> exit 2", rc == 2 and "nope" in err, err)

# The command line in SARIF comes from the merged options, masked too.
write("sarif.yml", "format: sarif\nfail-on: none\n")
rc, out, err = run("iac", "--config", "sarif.yml", "docker-compose.yml")
inv = json.loads(out)["runs"][0]["invocations"][0] if rc == 0 else {}
check("config options show in the SARIF command line",
      inv.get("commandLine") == "warden iac --format=sarif --fail-on=none docker-compose.yml", inv)

# --version, man page, completions.
rc, out, err = run("--version")
rc2, out2, err2 = run("version")
check("--version and version print 'warden X.Y.Z'", rc == 0 and rc2 == 0 and out == out2 and
      out.startswith("warden ") and out.strip().count(".") == 2, (out, out2))
man = os.path.join(TOP, "man", "warden.1")
p = subprocess.run(["man", "-l", man], capture_output=True, text=True, env=dict(os.environ, MANWIDTH="80"))
check("man page renders with its sections", p.returncode == 0 and all(
    s in p.stdout for s in ("SYNOPSIS", "REPORT OPTIONS", "EXIT STATUS", "--report", "--baseline")),
    p.stderr[:300])
p = subprocess.run(["bash", "-c", "source %s/completions/warden.bash; COMP_WORDS=(warden iac -f s); COMP_CWORD=3; "
                    "_warden; echo \"${COMPREPLY[*]}\"; COMP_WORDS=(warden sc); COMP_CWORD=1; _warden; "
                    "echo \"${COMPREPLY[*]}\"" % TOP], capture_output=True, text=True)
check("bash completion: formats and commands", p.stdout.splitlines() == ["sarif", "scan"], p.stdout + p.stderr)
zsh = shutil.which("zsh")
if zsh:
    p = subprocess.run([zsh, "-n", os.path.join(TOP, "completions", "_warden")], capture_output=True, text=True)
    check("zsh completion parses", p.returncode == 0, p.stderr)
else:
    with open(os.path.join(TOP, "completions", "_warden")) as f:
        z = f.read()
    check("zsh completion names every format (zsh not installed: syntax not checked)",
          z.startswith("#compdef warden") and "term json jsonl sarif html md junit" in z)
# make install puts the binary, the man page and the completions in place.
dest = os.path.join(tmp, "dest")
rel = os.path.join(TOP, "build-rel")
if os.path.exists(os.path.join(rel, "build.ninja")):
    p = subprocess.run(["meson", "install", "-C", rel, "--no-rebuild", "--destdir", dest],
                       capture_output=True, text=True, timeout=300)
    found = {os.path.relpath(os.path.join(d, f), dest) for d, _, fs in os.walk(dest) for f in fs}
    check("meson install: binary, man page, bash and zsh completions",
          p.returncode == 0 and any(x.endswith("bin/warden") for x in found) and
          any(x.endswith("man1/warden.1") for x in found) and
          any(x.endswith("bash-completion/completions/warden") for x in found) and
          any(x.endswith("zsh/site-functions/_warden") for x in found), (p.stderr[-300:], sorted(found)))
else:
    check("release build present for the install check (make test builds it)", False, rel)

shutil.rmtree(tmp, ignore_errors=True)
done()
