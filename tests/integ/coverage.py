"""Every rule of every side has a positive test: each rule id `warden
checks` lists must have been proved raised by a passing check of some
integration suite (check(..., raises=[ids]) records them in the file
WARDEN_RULES_RAISED names). tests/run-all.sh runs this after the suites;
run alone, without that file, it is a skip."""
import os

from harness import check, done, skip, warden

path = os.environ.get("WARDEN_RULES_RAISED")
rc, out, err = warden("checks")
sides = {}
side = None
for line in out.splitlines():
    if line.startswith("# "):
        side = line[2:].split()[0]  # "# correlation (scan, ...)" -> correlation
    elif side and line and not line.startswith("RULE") and "." in line.split()[0]:
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
    for name, ids in sorted(sides.items()):
        missing = sorted(ids - set(raised))
        check("%s: each of %d rules raised by a positive test" % (name, len(ids)), not missing,
              "raised by no test: %s" % missing)
    unknown = sorted(set(raised) - set().union(*sides.values()))
    check("tests expect no rule id that `warden checks` does not list", not unknown, unknown)
done()
