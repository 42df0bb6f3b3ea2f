"""Site pages under gunicorn (2 workers) on PostgreSQL, beside a bare Django view in the same run.

python bench/bench_pages.py [--quick]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few seconds per URL")
    args = parser.parse_args()
    seconds = 4 if args.quick else 20

    env = harness.production_env(harness.bench_database_url())
    harness.create_database(env)
    with harness.gunicorn(env) as base:
        harness.load(base + "/", seconds=1)  # warm up connections and caches
        bare = harness.load(base + "/__bare__", seconds=seconds)
        harness.report("bare_view", bare)
        for name, path in [("home", "/"), ("about", "/about/"), ("login", "/accounts/login/")]:
            harness.report(f"{name}_page", harness.load(base + path, seconds=seconds), bare)


if __name__ == "__main__":
    main()
