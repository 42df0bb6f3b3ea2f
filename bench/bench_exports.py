"""The registry's open-data exports at scale under gunicorn (2 workers) on PostgreSQL: the CSV and
JSON of one country's 18,000 stakeholders (Austria, of the registry benchmark's 100,000), with
the time to the first byte, the rate at which the rest arrives, and how much the worker's memory
grows (it must stay flat: rows are streamed), beside a bare Django view in the same run.

python bench/bench_exports.py [--quick]
"""

import argparse
import http.client
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from bench.bench_registry import ensure_registry

EXPORTS = {
    "csv": "/stakeholders/export.csv?country=AT",
    "json": "/stakeholders/export.json?country=AT",
}


def fetch(base: str, path: str) -> dict[str, float]:
    """One download: time to the first byte (ms), total time (s), bytes."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter() - started
    size = len(first)
    while chunk := response.read(256 * 1024):
        size += len(chunk)
    total = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return {"first_byte_ms": first_byte * 1000, "seconds": total, "bytes": size}


def worker_memory(master_pid: int) -> tuple[float, float]:
    """Resident memory now and at its peak (MB), summed over gunicorn's workers."""
    rss = peak = 0.0
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss += int(fields["VmRSS"].split()[0]) / 1024
        peak += int(fields["VmHWM"].split()[0]) / 1024
    return rss, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="three downloads of each")
    args = parser.parse_args()
    rounds = 3 if args.quick else 10

    env = harness.production_env(harness.bench_database_url())
    harness.create_database(env)
    ensure_registry(env)
    rows = harness.query(
        env,
        "SELECT count(*) FROM stakeholders_stakeholder"
        " WHERE state = 'published' AND country = 'AT'",
    )[0]
    harness.figure("export_rows", rows, "stakeholders")
    with harness.gunicorn(env) as base:
        master = harness.gunicorn.last_pid
        bare = harness.load(base + "/__bare__", seconds=4 if args.quick else 10, connections=2)
        harness.report("bare_view_at_2_connections", bare)
        for name, path in EXPORTS.items():
            fetch(base, path)  # warm up: the planner, the worker's imports
            before, _ = worker_memory(master)
            runs = [fetch(base, path) for _ in range(rounds)]
            after, peak = worker_memory(master)
            first_byte = statistics.median(run["first_byte_ms"] for run in runs)
            rate = statistics.median(run["bytes"] / run["seconds"] / 1e6 for run in runs)
            harness.figure(f"export_{name}_first_byte", first_byte, "ms")
            harness.figure(f"export_{name}_rate", rate, "MB/s")
            harness.figure(f"export_{name}_size", runs[0]["bytes"] / 1e6, "MB")
            harness.figure(
                f"export_{name}_seconds", statistics.median(r["seconds"] for r in runs), "s"
            )
            harness.figure(f"export_{name}_worker_memory_growth", after - before, "MB")
            harness.figure(f"export_{name}_workers_peak_memory", peak, "MB")
            # Whole downloads per second at two connections, against the bare view.
            loaded = harness.load(
                base + path, seconds=8 if args.quick else 20, connections=2, timeout=60
            )
            harness.report(f"export_{name}", loaded, bare)


if __name__ == "__main__":
    main()
