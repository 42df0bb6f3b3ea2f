"""The community blog at 1,000 published posts (five comments each) under gunicorn (2 workers) on
PostgreSQL: the list, a search with a topic filter, the ideas by support, one post with its
comments and the RSS feed, beside a bare Django view in the same run.

The first run adds the generated posts to the bench database (slugs ``bulk-post-…``, a few
seconds) and prints how long that took; later runs reuse them.

python bench/bench_blog.py [--quick]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

POSTS = 1_000
COMMENTS_PER_POST = 5
SEED = (
    "from blog.demo import seed_bulk_posts; "
    f"seed_bulk_posts({POSTS}, comments_per_post={COMMENTS_PER_POST})"
)


def generated_count(env: dict[str, str]) -> int:
    return harness.query(
        env,
        "SELECT count(*) FROM blog_post WHERE slug LIKE 'bulk-post-%%' AND state = 'published'",
    )[0]


def ensure_posts(env: dict[str, str]) -> None:
    before = generated_count(env)
    if before >= POSTS:
        return
    started = time.monotonic()
    harness.manage(env, "shell", "-v0", "-c", SEED)
    harness.figure(
        "blog_seed_1k" if before == 0 else "blog_seed_topup", time.monotonic() - started, "s"
    )
    harness.query(env, "VACUUM ANALYZE blog_post, blog_comment, blog_support, blog_post_topics")


def topic_of(env: dict[str, str]) -> str:
    row = harness.query(
        env,
        "SELECT s.slug FROM stakeholders_sector s JOIN blog_post_topics l ON l.sector_id = s.id"
        " GROUP BY s.slug ORDER BY count(*) DESC, s.slug LIMIT 1",
    )
    return row[0] if row else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few seconds per URL")
    args = parser.parse_args()
    seconds = 4 if args.quick else 20

    env = harness.production_env(harness.bench_database_url())
    harness.create_database(env)
    ensure_posts(env)
    topic = topic_of(env)
    pages = [
        ("blog_list", "/blog/"),
        ("blog_search", f"/blog/?q=cooperation&topic={topic}" if topic else "/blog/?q=cooperation"),
        ("blog_ideas", "/blog/ideas/?sort=supports"),
        ("blog_detail", f"/blog/bulk-post-{POSTS // 2:05d}/"),
        ("blog_feed", "/blog/feed/rss/"),
    ]
    with harness.gunicorn(env) as base:
        harness.load(base + "/", seconds=1)  # warm up connections and caches
        bare = harness.load(base + "/__bare__", seconds=seconds)
        harness.report("bare_view", bare)
        for name, path in pages:
            harness.report(name, harness.load(base + path, seconds=seconds), bare)


if __name__ == "__main__":
    main()
