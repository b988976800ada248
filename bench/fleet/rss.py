"""Peak RSS and wall time of a multi-target scan by list size (see run.sh)."""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "integ"))
import fleetlab  # noqa: E402

warden = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="warden-bench-fleet-")
ngx = fleetlab.Nginx(tmp, 500, 500)
rows = []
try:
    for k in (10, 100, 1000):
        path = os.path.join(tmp, "list-%d" % k)
        with open(path, "w") as f:
            f.writelines(u + " --no-discovery\n" for u in ngx.urls()[:k])
        best = None
        for _ in range(3):
            t0 = time.time()
            p = subprocess.run(["/usr/bin/time", "-f", "%M", warden, "scan", "--burst", "0", "-q", "-f", "json",
                                "--parallel", "8", "-l", path], capture_output=True, text=True)
            wall = time.time() - t0
            mb = int(p.stderr.strip().splitlines()[-1]) / 1024.0
            done = json.loads(p.stdout)["summary"]["complete"]
            if best is None or mb > best[0]:
                best = (mb, wall, done)
        rows.append((k,) + best)
finally:
    ngx.stop()
print("targets  peak RSS (max of 3)  wall    complete")
for k, mb, wall, done in rows:
    print("%7d  %8.1f MB          %5.1f s  %d/%d" % (k, mb, wall, done, k))
lo, hi = rows[0][1], max(r[1] for r in rows)
print("RSS 1,000 vs 10 targets: %.2fx (goal <= 1.5x); peak %.1f MB (goal < 64 MB)" % (hi / lo, hi))
