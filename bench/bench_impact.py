"""The impact page and the programme's indicator exports at 100,000 published stakeholders under
gunicorn (2 workers) on PostgreSQL, beside a bare Django view in the same run:

- ``impact_page``: a visitor's page from the page cache (a hit);
- ``impact_page_figures_cached``: the page rendered again for every request (unique addresses)
  from the cached figures;
- ``impact_page_uncached``: a complete miss, every request a new period, so that the figures'
  twelve aggregate queries run each time;
- the exports (CSV and .xlsx) from the cached figures;
- ``impact_figures_compute``: the figures computed in one process, straight from the database.

The registry is seeded like bench_registry.py's (``seed_demo --stakeholders 100000``, the demo's
AlpCafés, blog and initiatives included). ``BENCH_DATABASE_SUFFIX`` picks another bench database
(default ``bench``, shared with the other benchmarks).

python bench/bench_impact.py [--quick]
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from bench.bench_registry import ensure_registry

COMPUTE = """
import statistics, time
from impact.selectors import Period, compute_figures
figures = compute_figures(Period())
runs = []
for _ in range({runs}):
    started = time.perf_counter()
    compute_figures(Period())
    runs.append((time.perf_counter() - started) * 1000)
print("impact_figures_compute_median: %.6g ms" % statistics.median(runs))
print("impact_figures_compute_max: %.6g ms" % max(runs))
print("impact_mapped_stakeholders: %d stakeholders" % figures.totals.mapped)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few seconds per URL")
    args = parser.parse_args()
    seconds = 4 if args.quick else 20

    suffix = os.environ.get("BENCH_DATABASE_SUFFIX", "bench")
    env = harness.production_env(
        harness.bench_database_url(suffix),
        # Cache keys of this bench database's own: nothing cached from another database is served.
        CACHE_KEY_PREFIX=f"alpclusters-{suffix}",
    )
    harness.create_database(env)
    ensure_registry(env)
    harness.manage(env, "shell", "-v0", "-c", COMPUTE.format(runs=3 if args.quick else 10))
    with harness.gunicorn(env) as base:
        page = base + "/impact/"
        harness.load(page, seconds=1)  # warm up connections, the figures, the page cache
        harness.load(page, seconds=1, script="unique_periods.lua", timeout=30)
        bare = harness.load(base + "/__bare__", seconds=seconds)
        harness.report("bare_view", bare)
        harness.report("impact_page", harness.load(page, seconds=seconds), bare)
        harness.report(
            "impact_page_figures_cached",
            harness.load(page, seconds=seconds, uncached=True, timeout=30),
            bare,
        )
        miss = harness.load(page, seconds=seconds, script="unique_periods.lua", timeout=30)
        harness.report("impact_page_uncached", miss, bare)
        # One connection per worker: the latency of a miss on a busy but not overloaded site.
        light = harness.load(
            page, seconds=seconds, connections=2, script="unique_periods.lua", timeout=30
        )
        harness.figure("impact_page_uncached_p50_at_2_connections", light["p50"], "ms")
        harness.figure("impact_page_uncached_p99_at_2_connections", light["p99"], "ms")
        for name, path in [
            ("impact_export_csv", "/impact/export.csv"),
            ("impact_export_xlsx", "/impact/export.xlsx"),
        ]:
            harness.report(name, harness.load(base + path, seconds=seconds, timeout=30), bare)


if __name__ == "__main__":
    main()
