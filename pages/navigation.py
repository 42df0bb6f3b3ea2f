"""The main navigation, built once in Python; templates only loop over it.

An entry whose page is not part of this installation yet (its URL name does not resolve) is left
out, so the menu never leads to a 404.
"""

from dataclasses import dataclass
from functools import cache

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    summary: str
    url: str
    active: bool


MAIN_MENU = [
    (
        _("Stakeholders"),
        "stakeholders:directory",
        _(
            "Find cluster organisations, companies, research centres and public bodies "
            "across the Alps."
        ),
    ),
    (
        _("AlpCafés"),
        "alpcafes:list",
        _(
            "Informal meetings where stakeholders discuss their needs and new links "
            "between regions."
        ),
    ),
    (_("Blog"), "blog:list", _("News, AlpCafé reports and ideas from the community.")),
    (_("Proposals"), "blog:proposals", _("Policy proposals built from the community's ideas.")),
    (
        _("Partnerships"),
        "partnerships:list",
        _("Offers and requests of organisations looking for partners across the Alps."),
    ),
    (_("Impact"), "impact:page", _("What the project has achieved so far, in figures.")),
    (_("About"), "about", _("The AlpClusters 2020 project, its partners and its goals.")),
]


@cache
def _resolved_urls() -> tuple[tuple[int, str], ...]:
    found = []
    for index, (_label, url_name, _summary) in enumerate(MAIN_MENU):
        try:
            found.append((index, reverse(url_name)))
        except NoReverseMatch:
            continue
    return tuple(found)


def main_menu(path: str) -> list[NavItem]:
    # Labels are resolved per request so that each visitor sees their own language.
    return [
        NavItem(
            label=str(MAIN_MENU[i][0]),
            summary=str(MAIN_MENU[i][2]),
            url=url,
            active=path.startswith(url),
        )
        for i, url in _resolved_urls()
    ]


@dataclass(frozen=True)
class MemberItem:
    label: str
    url: str
    count: int | None = None


@cache
def _url(name: str) -> str:
    """The address of a page without arguments, resolved once per process (as the main menu's
    are): a member's menu names a dozen on every page."""
    return reverse(name)


def member_menu(user) -> list[MemberItem]:
    """The logged-in member's menu: their pages, the moderators' queues with how many items
    wait in each, the admin for staff."""
    from digests.moderation import QUEUES, waiting_counts
    from stakeholders.permissions import is_moderator

    items = [
        MemberItem(_("Profile and consents"), _url("profile")),
        MemberItem(_("My AlpCafés"), _url("alpcafes:mine")),
        MemberItem(_("Requests to join"), _url("stakeholders:join_requests")),
        MemberItem(_("My partnerships"), _url("partnerships:mine")),
    ]
    if is_moderator(user):
        counts = waiting_counts()
        seen = set()
        for queue in QUEUES:
            if queue.key == "joins":
                continue  # already in the member's part, counted below
            url = queue.url
            if url in seen:  # posts and reports share one page: one entry, both counted
                items[-1] = MemberItem(items[-1].label, url, items[-1].count + counts[queue.key])
                continue
            seen.add(url)
            items.append(MemberItem(queue.label, url, counts[queue.key]))
        items[2] = MemberItem(items[2].label, items[2].url, counts["joins"])
        items.append(MemberItem(_("Members"), _url("stakeholders:members")))
    if user.is_staff:
        items.append(MemberItem(_("Administration"), _url("admin:index")))
    items += [
        MemberItem(_("E-mail addresses"), _url("account_email")),
        MemberItem(_("Change password"), _url("account_change_password")),
    ]
    return items
