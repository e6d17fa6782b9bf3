"""How long an edit takes to show in `itreport serve` (target: under half a second).

Starts the real preview server on a copy of the example division, saves a change to the
narrative (a new marker each time), and times from the save until the server hands out a page
with the marker: the watcher's debounce, the rebuild and the HTTP round trip, which is what a
user with the page open waits for (the page's own reload adds a browser's paint on top).
Prints one line per run, then the median; exits 1 when the median misses the target.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.5
RUNS = 9


def fetch(port: int, key: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "GET", "/", headers={"Host": f"127.0.0.1:{port}", "Cookie": f"itreport-preview-{port}={key}"}
    )
    body = conn.getresponse().read().decode("utf-8")
    conn.close()
    return body


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="itreport-serve-bench-"))
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    narrative = content / "narrative.yaml"
    original = narrative.read_text(encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "itreport", "serve", str(content), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        match = re.search(r":(\d+)/\?key=([A-Za-z0-9_-]+)", proc.stdout.readline())
        if not match:
            print("bench: the preview server did not start")
            return 1
        port, key = int(match.group(1)), match.group(2)
        times = []
        for run in range(RUNS):
            marker = f"BENCH-MARKER-{run}"
            start = time.perf_counter()
            narrative.write_text(original.replace("close to budget overall", marker, 1), encoding="utf-8")
            while marker not in fetch(port, key):
                time.sleep(0.005)
            times.append(time.perf_counter() - start)
            print(f"edit {run + 1}: visible after {times[-1]:.3f} s")
            time.sleep(0.3)
        median = statistics.median(times)
        ok = median <= TARGET_SECONDS
        print(
            f"serve: edit visible after {median:.3f} s (median of {RUNS}; target {TARGET_SECONDS} s) "
            f"{'ok' if ok else 'MISSED'}"
        )
        return 0 if ok else 1
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
