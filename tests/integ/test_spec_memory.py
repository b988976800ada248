"""The OpenAPI reader in bounded memory (issue 13): a 10,000-operation
spec, as JSON and as YAML, is read whole (every operation kept) with a
peak of a few MB beyond the text (the old reader: 77-217 MB).

bench_spec (bench/scan/bench_spec.c, built with warden) reads the file,
then parses it with the scan's reader and prints the operations kept and
the peak RSS beyond the text (VmHWM reset once the text is in memory).
The spec is bench/scan/gen_spec.py's: each operation with an operationId,
a summary, a tag, two query parameters and a $ref response schema. Under
ASan the allocator's quarantine is kept small and the bound is looser
(shadow memory and redzones)."""
import json
import os
import re
import shutil
import subprocess
import tempfile

import yaml

from harness import BUILD, TOP, check, done

RELEASE = "build-rel" in BUILD
NOPS = 10000
# Peak beyond the text, MiB: measured 5.6 (release) and 19 (ASan) for the
# JSON and the YAML form.
BOUND_MB = 12 if RELEASE else 40
tmp = tempfile.mkdtemp(prefix="warden-specmem-")
try:
    js = os.path.join(tmp, "spec.json")
    subprocess.run(["python3", os.path.join(TOP, "bench", "scan", "gen_spec.py"), js, str(NOPS)],
                   check=True)
    ym = os.path.join(tmp, "spec.yaml")
    with open(js) as f, open(ym, "w") as g:
        yaml.safe_dump(json.load(f), g, sort_keys=False)
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=4:detect_leaks=0"
    tool = os.path.join(BUILD, "bench", "bench_spec")
    for label, path in (("JSON", js), ("YAML", ym)):
        try:
            p = subprocess.run([tool, path], capture_output=True, text=True, timeout=300, env=env)
        except (OSError, subprocess.TimeoutExpired) as e:
            p = subprocess.CompletedProcess([tool], -1, "", str(e))
        m = re.search(r"ops=(\d+) text_kib=(\d+) peak_beyond_text_kib=(-?\d+)", p.stdout)
        ops, text, peak = (int(x) for x in m.groups()) if m else (0, 0, -1)
        print("# %s: %d operations, text %.1f MB, peak beyond it %.1f MB"
              % (label, ops, text / 1024.0, peak / 1024.0))
        check("%s spec of %d operations: every operation kept" % (label, NOPS),
              p.returncode == 0 and ops == NOPS and text > 1024, (p.returncode, p.stdout, p.stderr[-300:]))
        check("%s spec of %d operations: peak beyond the text %d < %d MB"
              % (label, NOPS, peak // 1024, BOUND_MB),
              ops == NOPS and 0 <= peak < BOUND_MB * 1024, (peak, p.stdout))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
done()
