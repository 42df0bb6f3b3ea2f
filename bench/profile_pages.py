"""Where a page's time goes: each page rendered in this process (production settings, the bench
database, Redis) as a cache miss, as a page-cache hit and for a logged-in member, with its mean
wall and CPU time per request, its queries, and with --profile the functions that cost most.

It is the tool behind the cache-miss work of bench_pages.py (which measures the same pages under
gunicorn and wrk); run bench_pages.py once first so that the bench database is seeded.

python bench/profile_pages.py [--only NAME] [--profile] [--profile-hit] [--requests N]
                              [--after-change DOMAIN]
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="only the pages whose name contains this")
    parser.add_argument("--profile", action="store_true", help="print the costliest functions")
    parser.add_argument("--profile-hit", action="store_true", help="profile the cache hits")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument(
        "--after-change",
        metavar="DOMAIN",
        help="before each measured miss, a write to this data domain (common/versions.py): the "
        "first visitor after a change, whose page's shared content must be rendered again",
    )
    parser.add_argument(
        "--warmed",
        action="store_true",
        help="with --after-change: the write as a service makes it, whose costly reads a worker "
        "computes again before the visitor comes (here in this process, outside the timing)",
    )
    parser.add_argument("--top", type=int, default=25, help="how many functions to print")
    parser.add_argument("--sort", default="tottime", help="pstats order (tottime, cumtime)")
    args = parser.parse_args()

    env = harness.production_env(
        harness.bench_database_url(), ALLOWED_HOSTS="testserver", LOG_LEVEL="ERROR"
    )
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "alpclusters.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from common.versions import data_changed, warmers_for

    settings.ROOT_URLCONF = "bench.urls"
    from alpcafes.models import AlpCafe
    from bench.bench_registry import SEARCH
    from blog.models import PolicyProposal, Post
    from stakeholders.models import User

    organiser = User.objects.get(email="organiser@example.org")
    member_user = User.objects.get(email="member@example.org")
    public = AlpCafe.objects.upcoming().first()
    managed = AlpCafe.objects.filter(organisers=organiser).upcoming().first()
    post = Post.objects.published().filter(slug__startswith="bulk-post-").order_by("slug")[500]
    proposal = PolicyProposal.objects.exclude(status="draft").first()
    from stakeholders.models import Stakeholder

    stakeholder = Stakeholder.objects.published().order_by("pk")[5000]
    pages = [
        ("bare", "/__bare__", None),
        ("home", "/", None),
        ("about", "/about/", None),
        ("impact", "/impact/", None),
        ("directory", "/stakeholders/", None),
        ("directory_search", SEARCH, None),
        ("map", "/stakeholders/map/", None),
        ("stakeholder", f"/stakeholders/{stakeholder.slug}/", None),
        ("alpcafes", "/alpcafes/", None),
        ("alpcafe", f"/alpcafes/{public.slug}/", None),
        ("alpcafe_ics", f"/alpcafes/{public.slug}/calendar.ics", None),
        ("calendar", "/alpcafes/calendar.ics", None),
        ("blog", "/blog/", None),
        ("ideas", "/blog/ideas/", None),
        ("blog_search", "/blog/?q=cooperation", None),
        ("post", f"/blog/{post.slug}/", None),
        ("proposals", "/proposals/", None),
        ("proposal", f"/proposals/{proposal.slug}/", None),
        ("feed", "/blog/feed/rss/", None),
        ("login", "/accounts/login/", None),
        ("member_home", "/", member_user),
        ("member_directory", "/stakeholders/", member_user),
        ("member_alpcafe", f"/alpcafes/{public.slug}/", member_user),
        ("member_blog", "/blog/", member_user),
        ("member_post", f"/blog/{post.slug}/", member_user),
        ("member_profile", "/accounts/profile/", member_user),
        ("member_manage", f"/alpcafes/{managed.slug}/manage/", organiser),
    ]
    if args.only:
        pages = [page for page in pages if args.only in page[0] or page[0] == "bare"]
    counter = iter(range(10**9))

    def address(path: str, miss: bool) -> str:
        if not miss:
            return path
        return f"{path}{'&' if '?' in path else '?'}miss={next(counter)}"

    print(f"{'page':<22}{'miss ms':>9}{'cpu ms':>8}{'hit ms':>8}{'queries':>8}{'bytes':>9}")
    for name, path, user in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        for _ in range(3):
            response = client.get(address(path, True))
            assert response.status_code == 200, (name, response.status_code)
        queries = []
        with connection.execute_wrapper(
            lambda run, sql, *a, _q=queries: _q.append(sql) or run(sql, *a)
        ):
            client.get(address(path, True))
        size = len(b"".join(response)) if response.streaming else len(response.content)
        wall = cpu = 0.0
        for _ in range(args.requests):
            if args.after_change:
                data_changed(args.after_change)
                if args.warmed:
                    for function in warmers_for([args.after_change]):
                        function()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(address(path, True))
            if response.streaming:
                b"".join(response)
            wall += time.perf_counter() - started
            cpu += time.process_time() - started_cpu
        wall = wall / args.requests * 1000
        cpu = cpu / args.requests * 1000
        hit = float("nan")
        if args.profile_hit and user is None:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                client.get(path)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(30)
            print(out.getvalue())
        if user is None:
            client.get(path)
            start = time.perf_counter()
            for _ in range(args.requests):
                client.get(path)
            hit = (time.perf_counter() - start) / args.requests * 1000
        print(f"{name:<22}{wall:>9.2f}{cpu:>8.2f}{hit:>8.2f}{len(queries):>8}{size:>9}")
        if args.profile and name != "bare":
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                client.get(address(path, True))
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
