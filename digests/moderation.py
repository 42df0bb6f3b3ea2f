"""What waits for the moderators, across the apps: for their menu's counts and their notices."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blog.selectors import open_reports, pending_posts
from partnerships.selectors import pending_opportunities
from stakeholders.models import JoinRequest, Stakeholder

#: The menu's counts may lag this many seconds behind (one cache read per page instead of four
#: count queries).
COUNTS_TIMEOUT = 60
COUNTS_KEY = "moderation:counts"


@dataclass(frozen=True)
class Queue:
    key: str
    label: str  # lazy
    url_name: str
    date_field: str

    def items(self) -> QuerySet:
        return QUEUE_ITEMS[self.key]()

    @property
    def url(self) -> str:
        return reverse(self.url_name)


QUEUE_ITEMS = {
    "registrations": lambda: Stakeholder.objects.pending().order_by("created_at"),
    "posts": pending_posts,
    "reports": open_reports,
    "opportunities": pending_opportunities,
    "joins": lambda: (
        JoinRequest.objects.pending().select_related("user", "stakeholder").order_by("created_at")
    ),
}

QUEUES = [
    Queue("registrations", _("Registrations to review"), "stakeholders:moderation", "created_at"),
    Queue("joins", _("Requests to join"), "stakeholders:join_requests", "created_at"),
    Queue("posts", _("Posts to review"), "blog:moderation", "updated_at"),
    Queue("reports", _("Reports to handle"), "blog:moderation", "created_at"),
    Queue(
        "opportunities",
        _("Opportunities to review"),
        "partnerships:moderation",
        "updated_at",
    ),
]


def waiting_counts() -> dict[str, int]:
    """How many items wait in each queue (cached for a minute, shared by every moderator)."""
    counts = cache.get(COUNTS_KEY)
    if counts is None:
        counts = {queue.key: queue.items().order_by().count() for queue in QUEUES}
        cache.set(COUNTS_KEY, counts, COUNTS_TIMEOUT)
    return counts
