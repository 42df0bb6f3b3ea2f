"""A mixed load on the whole site: 64 connections for 60 seconds against gunicorn (2 workers),
PostgreSQL and Redis, at 100,000 stakeholders and 1,000 posts — the home page, the directory
with a search, a stakeholder, an AlpCafé, the blog, a post, the feed, the impact page and the
log-in page all at once, each by its own share of the connections (one wrk per page, run
together), so that every page has its own p50 and p99 under the mix. Then the bare Django view
alone with the same 64 connections, for the ratio.

python bench/bench_load.py [--quick]   (quick: 10 seconds)
"""

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from bench.bench_blog import ensure_posts
from bench.bench_pages import world
from bench.bench_registry import SEARCH, ensure_registry, representative_slug

CONNECTIONS = 64


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 seconds instead of 60")
    args = parser.parse_args()
    seconds = 10 if args.quick else 60

    env = harness.production_env(harness.bench_database_url())
    harness.create_database(env)
    ensure_registry(env)
    ensure_posts(env)
    w = world(env)
    pages = [
        ("home", "/"),
        ("directory_search", SEARCH),
        ("stakeholder", f"/stakeholders/{representative_slug(env)}/"),
        ("alpcafe", f"/alpcafes/{w['alpcafe']}/"),
        ("blog", "/blog/"),
        ("post", f"/blog/{w['post']}/"),
        ("feed", "/blog/feed/rss/"),
        ("impact", "/impact/"),
        ("login", "/accounts/login/"),
    ]
    shares = [CONNECTIONS // len(pages)] * len(pages)
    shares[0] += CONNECTIONS - sum(shares)
    with harness.gunicorn(env) as base:
        for _name, path in pages:
            harness.load(base + path, seconds=1, connections=2)  # warm up
        runs = []
        for (name, path), connections in zip(pages, shares, strict=True):
            command = [
                harness.wrk_path(),
                "-t1",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout=10s",
                "--latency",
                base + path,
            ]
            runs.append((name, subprocess.Popen(command, stdout=subprocess.PIPE, text=True)))
        total_rps = 0.0
        total_errors = 0
        results = {}
        for name, process in runs:
            out, _ = process.communicate()
            results[name] = harness.parse_wrk(out)
            total_rps += results[name]["rps"]
            total_errors += results[name]["errors"] + results[name]["timeouts"]
        bare = harness.load(base + "/__bare__", seconds=seconds, connections=CONNECTIONS)
        harness.report("load_bare_view", bare)
        for name, result in results.items():
            harness.figure(f"load_{name}_throughput", result["rps"], "req/s")
            harness.figure(f"load_{name}_p50", result["p50"], "ms")
            harness.figure(f"load_{name}_p99", result["p99"], "ms")
            failed = result["errors"] + result["timeouts"]
            harness.figure(f"load_{name}_errors", failed, "responses")
        harness.figure("load_total_throughput", total_rps, "req/s")
        harness.figure("load_total_errors", total_errors, "responses")
        harness.figure("load_total_ratio_to_bare_view", total_rps / bare["rps"], "x")


if __name__ == "__main__":
    main()
