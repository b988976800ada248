#!/usr/bin/python3
"""The option table of scan, iac and inspect (src/cli/cli_opts.c) and its
one parsing loop: every option of `warden config options` is in its
command's --help and is accepted by the parser; bad options, missing
values, numbers out of range and an option of another command are exit 2
with a message naming the option; the config file takes the same names.
No traffic: every run stops at the options, or reads a local file."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import TOP, check, done  # noqa: E402

WARDEN = os.environ.get("WARDEN", os.path.join(TOP, "build", "warden"))
tmp = tempfile.mkdtemp(prefix="warden-options-")


def run(*args, cwd=tmp):
    p = subprocess.run([WARDEN] + list(args), cwd=cwd, capture_output=True, text=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


rc, out, err = run("config", "options")
table = {}
for line in out.splitlines():
    f = line.split("\t")
    if len(f) == 4:
        table.setdefault(f[0], []).append((f[1], None if f[2] == "-" else f[2], f[3]))
check("config options: exit 0, the three commands, 40 options or more",
      rc == 0 and set(table) == {"scan", "iac", "inspect"} and
      sum(map(len, table.values())) >= 40, (rc, err, sorted(table)))

# Every option is in its command's --help, with its short name.
for cmd, opts in sorted(table.items()):
    rc, helptext, err = run(cmd, "--help")
    missing = [o for o, s, _ in opts if o not in helptext or (s and s + ", " + o not in helptext)]
    check("%s --help: exit 0 and lists every option of the table" % cmd,
          rc == 0 and helptext.startswith("usage: warden %s" % cmd) and not missing,
          (rc, missing, err[-200:]))
    # -h is --help too.
    rc2, h2, _ = run(cmd, "-h")
    check("%s -h is --help" % cmd, rc2 == 0 and h2 == helptext, rc2)

# Unknown option, missing value: exit 2, the option named, the help on stderr.
for cmd in ("scan", "iac", "inspect"):
    rc, out, err = run(cmd, "--no-such-option")
    check("%s --no-such-option: exit 2, named, usage on stderr" % cmd,
          rc == 2 and "--no-such-option" in err and "usage: warden %s" % cmd in err and not out,
          (rc, err[:300]))
rc, out, err = run("scan", "--spec")
check("scan --spec without its value: exit 2 naming --spec",
      rc == 2 and "'--spec' requires an argument" in err, (rc, err[:200]))
# An option of another command is refused by this one.
rc, out, err = run("iac", "--root", "/", "x.yml")
check("iac --root (an inspect option): exit 2 naming it", rc == 2 and "--root" in err, (rc, err[:200]))
rc, out, err = run("inspect", "--list-rules")
check("inspect --list-rules (an iac option): exit 2 naming it",
      rc == 2 and "--list-rules" in err, (rc, err[:200]))

# Numbers are checked by the loop against the table's range, with the
# long name even when the short one was given.
for args, name in ((["scan", "-c", "0", "http://127.0.0.1:9/"], "--concurrency"),
                   (["scan", "--timeout=x", "http://127.0.0.1:9/"], "--timeout"),
                   (["scan", "--max-writes", "-1", "--active", "http://127.0.0.1:9/"], "--max-writes"),
                   (["iac", "--threshold", "101", "x.yml"], "--threshold"),
                   (["inspect", "--probe-timeout", "5001"], "--probe-timeout")):
    rc, out, err = run(*args)
    check("%s out of range: exit 2, '%s: ... is not a whole number'" % (" ".join(args[:3]), name),
          rc == 2 and (name + ": '") in err and "is not a whole number" in err, (rc, err[:200]))

# Values a handler checks: the message names the option.
for args, want in ((["scan", "--api-key-in", "cookie", "http://127.0.0.1:9/"], "--api-key-in"),
                   (["scan", "-H", "no colon", "http://127.0.0.1:9/"], "-H"),
                   (["scan", "-4", "-6", "http://127.0.0.1:9/"], "-4 and -6"),
                   (["scan", "--allow-delete", "http://127.0.0.1:9/"], "--allow-delete needs --active"),
                   (["iac", "-f", "xml", "x.yml"], "--format"),
                   (["inspect", "--sarif-base", "/nonexistent-dir"], "--sarif-base")):
    rc, out, err = run(*args)
    check("%s: exit 2 naming %s" % (" ".join(args[:3]), want), rc == 2 and want in err,
          (rc, err[:200]))

# Options and arguments mix, "--" ends the options; a flag after the path
# still counts (iac reads the file and applies --fail-on none).
with open(os.path.join(tmp, "Dockerfile"), "w") as f:
    f.write("FROM debian:12\nUSER root\n")
rc, out, err = run("iac", "Dockerfile", "--fail-on", "none", "-f", "json")
check("iac PATH --fail-on none -f json: options after the path are read (exit 0, JSON)",
      rc == 0 and out.lstrip().startswith("{") and '"kind"' in out, (rc, err[:200]))
rc, out, err = run("iac", "-f", "json", "--", "--fail-on")
check("iac -- --fail-on: after --, a path (exit 2: no file could be read, named)",
      rc == 2 and "--fail-on" in (out + err), (rc, err[:200]))

# The config file takes the table's long names; active is command-line only.
with open(os.path.join(tmp, "bad.yml"), "w") as f:
    f.write("scan:\n  concurency: 8\n")
rc, out, err = run("config", "print", "scan", "--config", "bad.yml")
check("config file: a misspelt option is exit 2 with file:line",
      rc == 2 and "bad.yml:2" in err and "concurency" in err, (rc, err[:200]))
with open(os.path.join(tmp, "active.yml"), "w") as f:
    f.write("scan:\n  active: true\n")
rc, out, err = run("config", "print", "scan", "--config", "active.yml")
check("config file: active is refused (only on the command line)",
      rc == 2 and "active.yml:2" in err and "only on the command line" in err, (rc, err[:200]))
# Secret options (the table's CLI_SECRET) are masked in config print.
rc, out, err = run("config", "print", "scan", "--client-secret", "s3cr3tvalue", "--proxy",
                   "http://u:pw0rd@127.0.0.1:9/", "-H", "X-Key: hdrsecret", "http://127.0.0.1:9/")
check("config print: --client-secret, --proxy and -H values masked",
      rc == 0 and "client-secret:" in out and "s3cr3tvalue" not in out and "pw0rd" not in out and
      "hdrsecret" not in out, (rc, out[-300:]))
done()
