"""Every page of the site under gunicorn (2 workers) on PostgreSQL and Redis, beside a bare Django
view measured in the same run, at 100,000 published stakeholders and 1,000 posts (the registry and
blog benchmarks' data, seeded on the first run).

For each anonymous page, three figures:
- ``<page>``: served as visitors mostly get it (from the page cache), 16 connections: throughput,
  p50, p99 and the ratio to the bare view (target ≥ 0.5×, p99 < 50 ms);
- ``<page>_miss``: every request a new address, so no cache helps (the first visitor after a
  change), 2 connections: throughput, p50 (target ≤ 20 ms) and ratio (target ≥ 0.15×);
and for the pages a member sees logged in, ``member_<page>`` (target ≥ 0.15×).

python bench/bench_pages.py [--quick] [--only NAME]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from bench.bench_blog import ensure_posts
from bench.bench_registry import SEARCH, ensure_registry, representative_slug

SESSIONS = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from alpcafes.models import AlpCafe
from blog.models import Post, PolicyProposal
User = get_user_model()
keys = []
for email in ("member@example.org", "organiser@example.org"):
    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "stakeholders.backends.GroupsModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
organiser = User.objects.get(email="organiser@example.org")
managed = AlpCafe.objects.filter(organisers=organiser).upcoming().first()
public = AlpCafe.objects.upcoming().first()
proposal = PolicyProposal.objects.exclude(status="draft").first()
post = Post.objects.published().filter(slug__startswith="bulk-post-").order_by("slug")[500]
print(" ".join([*keys, public.slug, managed.slug, post.slug, proposal.slug]))
"""


def world(env):
    """Session keys of the demo member and organiser, and slugs of representative objects."""
    import subprocess

    out = subprocess.run(
        [harness.PY, "manage.py", "shell", "-v0", "-c", SESSIONS],
        cwd=harness.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    member, organiser, alpcafe, managed, post, proposal = out[-6:]
    return {
        "member": member,
        "organiser": organiser,
        "alpcafe": alpcafe,
        "managed": managed,
        "post": post,
        "proposal": proposal,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="two seconds per measure")
    parser.add_argument("--only", help="only the pages whose name contains this")
    args = parser.parse_args()
    seconds = 2 if args.quick else 10

    env = harness.production_env(harness.bench_database_url())
    harness.create_database(env)
    ensure_registry(env)
    ensure_posts(env)
    w = world(env)
    stakeholder = f"/stakeholders/{representative_slug(env)}/"
    anonymous = [
        ("home", "/"),
        ("about", "/about/"),
        ("impact", "/impact/"),
        ("directory", "/stakeholders/"),
        ("directory_search", SEARCH),
        ("map", "/stakeholders/map/"),
        ("stakeholder", stakeholder),
        ("alpcafes", "/alpcafes/"),
        ("alpcafe", f"/alpcafes/{w['alpcafe']}/"),
        ("alpcafe_ics", f"/alpcafes/{w['alpcafe']}/calendar.ics"),
        ("calendar", "/alpcafes/calendar.ics"),
        ("blog", "/blog/"),
        ("ideas", "/blog/ideas/"),
        ("blog_search", "/blog/?q=cooperation"),
        ("post", f"/blog/{w['post']}/"),
        ("proposals", "/proposals/"),
        ("proposal", f"/proposals/{w['proposal']}/"),
        ("feed", "/blog/feed/rss/"),
        ("login", "/accounts/login/"),
    ]
    member = [
        ("home", "/", "member"),
        ("directory", "/stakeholders/", "member"),
        ("alpcafe", f"/alpcafes/{w['alpcafe']}/", "member"),
        ("blog", "/blog/", "member"),
        ("post", f"/blog/{w['post']}/", "member"),
        ("profile", "/accounts/profile/", "member"),
        ("manage", f"/alpcafes/{w['managed']}/manage/", "organiser"),
    ]
    if args.only:
        anonymous = [page for page in anonymous if args.only in page[0]]
        member = [page for page in member if args.only in page[0]]
    with harness.gunicorn(env) as base:
        for _name, path in anonymous:
            harness.load(base + path, seconds=1, connections=2)  # warm up
        bare = harness.load(base + "/__bare__", seconds=seconds, connections=16)
        harness.report("bare_view", bare)
        bare_light = harness.load(base + "/__bare__", seconds=seconds, connections=2)
        harness.report("bare_view_at_2_connections", bare_light)
        for name, path in anonymous:
            hit = harness.load(base + path, seconds=seconds, connections=16, timeout=30)
            harness.report(name, hit, bare)
            miss = harness.load(
                base + path, seconds=seconds, connections=2, timeout=30, uncached=True
            )
            harness.report(f"{name}_miss", miss, bare_light)
        for name, path, role in member:
            cookie = f"Cookie: sessionid={w[role]}"
            result = harness.load(
                base + path, seconds=seconds, connections=2, timeout=30, headers=[cookie]
            )
            harness.report(f"member_{name}", result, bare_light)


if __name__ == "__main__":
    main()
