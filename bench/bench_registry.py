"""The stakeholder registry at 100,000 published stakeholders under gunicorn (2 workers) on
PostgreSQL: the directory with a search and two filters, a profile page and the CSV export, beside
a bare Django view in the same run.

The first run seeds the bench database (``seed_demo --stakeholders 100000``, under a minute) and
prints how long that took; later runs reuse the rows.

python bench/bench_registry.py [--quick]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

STAKEHOLDERS = 100_000
# "cluster" is in the name or description of most cluster organisations and of many others.
SEARCH = "/stakeholders/?q=cluster&country=AT&kind=cluster"
EXPORT = "/stakeholders/export.csv?country=AT"


def generated_count(env: dict[str, str]) -> int:
    # The same rows the command counts when it tops up: slugs bulk-<index>-…
    return harness.query(
        env,
        "SELECT count(*) FROM stakeholders_stakeholder WHERE slug ~ '^bulk-[0-9]+-'"
        " AND state = 'published'",
    )[0]


def representative_slug(env: dict[str, str]) -> str:
    """A generated stakeholder from the middle of the registry: sectors, a contact, a map pin."""
    row = harness.query(
        env,
        "SELECT slug FROM stakeholders_stakeholder WHERE slug LIKE %s AND state = 'published'",
        [f"bulk-{STAKEHOLDERS // 2:06d}-%"],
    ) or harness.query(
        env, "SELECT slug FROM stakeholders_stakeholder WHERE state = 'published' LIMIT 1"
    )
    return row[0]


def ensure_registry(env: dict[str, str]) -> None:
    before = generated_count(env)
    if before >= STAKEHOLDERS:
        return
    started = time.monotonic()
    harness.manage(env, "seed_demo", "--stakeholders", str(STAKEHOLDERS), "-v0")
    seconds = time.monotonic() - started
    # A top-up of a partly seeded database is no measure of a full load.
    harness.figure("registry_seed_100k" if before == 0 else "registry_seed_topup", seconds, "s")
    # Measure the database as autovacuum soon leaves it, not with the dead rows of the search
    # index UPDATE and an unset visibility map.
    harness.query(
        env,
        "VACUUM ANALYZE stakeholders_stakeholder, stakeholders_stakeholder_sectors,"
        " stakeholders_contact, stakeholders_consentevent",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few seconds per URL")
    args = parser.parse_args()
    seconds = 4 if args.quick else 20

    env = harness.production_env(harness.bench_database_url())
    harness.create_database(env)
    ensure_registry(env)
    detail = f"/stakeholders/{representative_slug(env)}/"
    pages = [
        ("registry_directory", "/stakeholders/"),
        ("registry_directory_search", SEARCH),
        ("registry_detail", detail),
    ]
    with harness.gunicorn(env) as base:
        for _name, path in pages:
            harness.load(base + path, seconds=1)  # warm up connections, caches, the planner
        harness.load(base + EXPORT, seconds=1, connections=2, timeout=60)
        bare = harness.load(base + "/__bare__", seconds=seconds)
        harness.report("bare_view", bare)
        for name, path in pages:
            # A timeout well above wrk's 2 s, so that slow responses count in the latencies.
            result = harness.load(base + path, seconds=seconds, timeout=30)
            harness.report(name, result, bare)
            # Under 8 connections on 2 workers the p50 is mostly queueing (8 / throughput); one
            # connection per worker gives the latency a visitor sees on a busy but not
            # overloaded site.
            light = harness.load(base + path, seconds=seconds, connections=2, timeout=30)
            harness.figure(f"{name}_p50_at_2_connections", light["p50"], "ms")
            harness.figure(f"{name}_p99_at_2_connections", light["p99"], "ms")
            # Anonymous pages are served from the page cache above; these are the cache misses
            # (a first visit, or a filter combination nobody asked for in five minutes).
            miss = harness.load(base + path, seconds=seconds, timeout=30, uncached=True)
            harness.report(f"{name}_uncached", miss, bare)
            light = harness.load(
                base + path, seconds=seconds, connections=2, timeout=30, uncached=True
            )
            harness.figure(f"{name}_uncached_p50_at_2_connections", light["p50"], "ms")
        # Every response is a whole country's rows: two connections, and time for each to finish.
        export = harness.load(
            base + EXPORT, seconds=8 if args.quick else 20, connections=2, timeout=60
        )
        harness.report("registry_export_csv", export, bare)


if __name__ == "__main__":
    main()
