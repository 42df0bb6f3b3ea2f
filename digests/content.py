"""The e-mail digest's periods and content, read from every app.

The content that is the same for everyone (what is new in the registry, the AlpCafés, the blog) is
computed once per batch and period; the outbox renders it once per language and fills in each
contact's name, own registrations and links (see digests.mail).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, translation
from django.utils.functional import lazy
from django.utils.text import format_lazy

from alpcafes.models import AlpCafe, Participation
from alpcafes.selectors import alpcafes_with_counts, spots_left
from blog.models import PolicyProposal, Post
from blog.selectors import with_counts
from outbox.kinds import absolute
from stakeholders.models import DigestFrequency, Stakeholder

_lazy_datetime = lazy(lambda value: formats.date_format(value, "DATETIME_FORMAT"), str)


# --- Periods -------------------------------------------------------------------------------------


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def period_for(frequency: str, *, start: dt.date) -> tuple[dt.date, dt.date]:
    """The period that starts on ``start``: a Monday-to-Sunday week, or a calendar month."""
    if frequency == DigestFrequency.WEEKLY:
        monday = start - dt.timedelta(days=start.weekday())
        return monday, monday + dt.timedelta(days=7)
    first = start.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following


def last_complete_period(frequency: str, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period a digest sent ``today`` covers: last week, or last month."""
    if frequency == DigestFrequency.WEEKLY:
        return period_for(frequency, start=today - dt.timedelta(days=7))
    return period_for(frequency, start=(today.replace(day=1) - dt.timedelta(days=1)))


def as_aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=local_zone())


# --- Content --------------------------------------------------------------------------------------


@dataclass
class Item:
    title: str
    url: str
    meta: str = ""


@dataclass
class Section:
    key: str
    title: str  # lazy: translated when the digest is rendered in the contact's language
    items: list[Item]
    is_news: bool = True  # context sections (upcoming AlpCafés) alone never trigger a digest


@dataclass
class Content:
    since: dt.datetime
    until: dt.datetime
    sections: list[Section] = field(default_factory=list)

    @property
    def has_news(self) -> bool:
        return any(section.items and section.is_news for section in self.sections)


def _new_stakeholders(since, until) -> Section:
    rows = (
        Stakeholder.objects.published()
        .filter(created_at__gte=since, created_at__lt=until)
        .order_by("-created_at")
        .only("name", "slug", "city", "country")[:10]
    )
    return Section(
        "stakeholders",
        translation.gettext_lazy("New in the registry"),
        [
            Item(s.name, absolute(s.get_absolute_url()), f"{s.city}, {s.get_country_display()}")
            for s in rows
        ],
    )


def _alpcafes(since, until) -> list[Section]:
    upcoming = list(
        alpcafes_with_counts(AlpCafe.objects.upcoming()).filter(state=AlpCafe.State.SCHEDULED)[:5]
    )
    scheduled_recently = [a for a in upcoming if since <= a.created_at < until]
    held = list(
        AlpCafe.objects.filter(
            state=AlpCafe.State.HELD, updated_at__gte=since, updated_at__lt=until
        )
        .exclude(outcomes_summary="")
        .order_by("-starts_at")[:5]
    )

    def item(alpcafe):
        # As the digest's language writes it (the content is shared by every language).
        when = _lazy_datetime(alpcafe.starts_at.astimezone(local_zone()))
        meta = format_lazy(
            translation.gettext_lazy("{when} · seats left: {left}"),
            when=when,
            left=spots_left(alpcafe),
        )
        return Item(alpcafe.title, absolute(alpcafe.get_absolute_url()), meta)

    return [
        Section(
            "new_alpcafes",
            translation.gettext_lazy("Newly scheduled AlpCafés"),
            [item(a) for a in scheduled_recently],
        ),
        Section(
            "alpcafe_outcomes",
            translation.gettext_lazy("What we heard at AlpCafés"),
            [Item(a.title, absolute(a.get_absolute_url()), a.outcomes_summary[:160]) for a in held],
        ),
        Section(
            "upcoming_alpcafes",
            translation.gettext_lazy("Coming AlpCafés with seats left"),
            [item(a) for a in upcoming if spots_left(a) > 0],
            is_news=False,
        ),
    ]


def _blog(since, until) -> list[Section]:
    published = Post.objects.published().filter(published_at__gte=since, published_at__lt=until)
    posts = published.exclude(kind=Post.Kind.IDEA).order_by("-published_at")[:8]
    new_ideas = published.filter(kind=Post.Kind.IDEA).order_by("-published_at")[:5]
    top_ideas = (
        with_counts(Post.objects.published().filter(kind=Post.Kind.IDEA))
        .exclude(idea_status=Post.IdeaStatus.PROPOSAL)
        .filter(support_count__gt=0)
        .order_by("-support_count", "-published_at")[:3]
    )
    proposals = PolicyProposal.objects.filter(
        status=PolicyProposal.Status.OPEN, opened_at__gte=since, opened_at__lt=until
    ).order_by("-opened_at")[:5]

    def post_item(post):
        return Item(post.title, absolute(post.get_absolute_url()), Post.Kind(post.kind).label)

    return [
        Section(
            "posts", translation.gettext_lazy("New on the blog"), [post_item(p) for p in posts]
        ),
        Section("ideas", translation.gettext_lazy("New ideas"), [post_item(p) for p in new_ideas]),
        Section(
            "proposals",
            translation.gettext_lazy("Policy proposals open for endorsement"),
            [Item(p.title, absolute(p.get_absolute_url())) for p in proposals],
        ),
        Section(
            "top_ideas",
            translation.gettext_lazy("The most-supported ideas"),
            [
                Item(p.title, absolute(p.get_absolute_url()), str(p.support_count))
                for p in top_ideas
            ],
            is_news=False,
        ),
    ]


def shared_content(since: dt.datetime, until: dt.datetime) -> Content:
    """What is new for everyone between ``since`` and ``until``."""
    content = Content(since=since, until=until)
    content.sections.append(_new_stakeholders(since, until))
    content.sections.extend(_blog(since, until))
    content.sections.extend(_alpcafes(since, until))
    return content


def own_registrations(contact_ids: list[int]) -> dict[int, list[Participation]]:
    """Each contact's coming AlpCafés (registered or waitlisted), in one query for a batch."""
    rows = (
        Participation.objects.filter(
            contact_id__in=contact_ids,
            status__in=[Participation.Status.REGISTERED, Participation.Status.WAITLISTED],
            alpcafe__state=AlpCafe.State.SCHEDULED,
            alpcafe__ends_at__gte=dt.datetime.now(tz=local_zone()),
        )
        .select_related("alpcafe")
        .order_by("alpcafe__starts_at")
    )
    found: dict[int, list[Participation]] = {}
    for row in rows:
        found.setdefault(row.contact_id, []).append(row)
    return found
