"""Every rule of every side has a positive test: each rule id `warden
checks` lists must have been proved raised by a passing check of some
integration suite (check(..., raises=[ids]) records them in the file
WARDEN_RULES_RAISED names), or by a recorded response of the exposure
catalogue (tests/fixtures/signatures/*/*.http, "# expect: RULE", which the
unit test test_sig asserts exactly; run-all.sh fails the run if it fails).
tests/run-all.sh runs this after the suites; run alone, without that
file, it is a skip."""
import glob
import os

from harness import check, done, skip, warden

path = os.environ.get("WARDEN_RULES_RAISED")
rc, out, err = warden("checks")
sides = {}
side = None
for line in out.splitlines():
    if line.startswith("# "):
        # "# correlation (scan, ...)" -> correlation; "# scan: exposure
        # signatures (...)" -> scan (the catalogue's rules are scan rules)
        side = line[2:].split()[0].rstrip(":")
    elif side and line and not line[0].isspace() and not line.startswith("RULE") \
            and "." in line.split()[0]:
        # (indented lines name the catalogue's signatures, not rules)
        sides.setdefault(side, set()).add(line.split()[0])
check("`warden checks` lists the rules of scan, correlation, iac and inspect",
      rc == 0 and {"scan", "correlation", "iac", "inspect"} <= set(sides)
      and all(len(v) > 0 for v in sides.values()), (rc, {k: len(v) for k, v in sides.items()}))
if not path or not os.path.exists(path):
    skip("every rule is raised by a positive test", "WARDEN_RULES_RAISED not set (run by tests/run-all.sh)")
else:
    raised = {}
    with open(path) as f:
        for line in f:
            rule, _, suite = line.strip().partition(" ")
            raised.setdefault(rule, set()).add(suite)
    sigfix = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "signatures")
    for fx in glob.glob(os.path.join(sigfix, "*", "*.http")):
        with open(fx, errors="replace") as f:
            for line in f:
                if not line.startswith("#"):
                    break
                if line.startswith("# expect:"):
                    for rule in line.split(":", 1)[1].split():
                        if rule != "none":
                            raised.setdefault(rule, set()).add("test_sig " + os.path.basename(fx))
    for name, ids in sorted(sides.items()):
        missing = sorted(ids - set(raised))
        check("%s: each of %d rules raised by a positive test" % (name, len(ids)), not missing,
              "raised by no test: %s" % missing)
    unknown = sorted(set(raised) - set().union(*sides.values()))
    check("tests expect no rule id that `warden checks` does not list", not unknown, unknown)
done()
