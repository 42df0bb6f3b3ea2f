"""Reads of date polls that more than one view, mail or page uses."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from alpcafes.models import AlpCafe
from alpcafes.preselections import Preselection
from alpcafes.selectors import invitee_candidates
from common.parsing import parse_id
from stakeholders.models import Contact

from . import calendars
from .models import DatePoll, PollAnswer, PollInvitee, PollOption

Choice = PollAnswer.Choice


def latest_poll(alpcafe: AlpCafe) -> DatePoll | None:
    """The AlpCafé's most recent poll (the one in progress, if any), with its candidates."""
    return (
        DatePoll.objects.filter(alpcafe=alpcafe)
        .select_related("alpcafe", "chosen_option")
        .prefetch_related("options")
        .first()
    )


def poll_candidates(poll: DatePoll, data) -> tuple:
    """Contacts who may be asked: those the registry's filters give for an invitation (published
    stakeholders, accepting mail, not part of the AlpCafé yet), not asked in this poll yet."""
    stakeholder_filter, contacts = invitee_candidates(poll.alpcafe, data)
    return stakeholder_filter, contacts.exclude(poll_invitations__poll=poll)


def places(contacts: QuerySet) -> Counter:
    """How many of ``contacts`` live in each Place (country and holiday region), in one query."""
    rows = (
        contacts.order_by()
        .values_list("stakeholder__country", "stakeholder__region", "stakeholder__city")
        .annotate(n=Count("pk"))
    )
    counter: Counter = Counter()
    for country, region, city, n in rows:
        counter[calendars.place_for(country, region or "", city or "")] += n
    return counter


def places_of_list(contacts: list[Contact]) -> Counter:
    """The same for contacts already fetched with their stakeholder."""
    counter: Counter = Counter()
    for contact in contacts:
        s = contact.stakeholder
        counter[calendars.place_for(s.country, s.region, s.city) if s else calendars.Place("")] += 1
    return counter


def holidays_by_option(options, place_counts: Counter) -> dict[int, calendars.CandidateHolidays]:
    """{option id: the holidays on it for the people counted}, in the active language."""
    return {
        option.pk: calendars.candidate_holidays(option.starts_at, option.ends_at, place_counts)
        for option in options
    }


def regions_unknown(place_counts: Counter) -> int:
    """How many of the people counted have only their national holidays known."""
    return sum(n for place, n in place_counts.items() if place.regions_unknown)


@dataclass
class OptionResult:
    option: PollOption
    yes: int = 0
    maybe: int = 0
    no: int = 0
    by_country: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return self.yes + self.maybe / 2

    @property
    def answers(self) -> int:
        return self.yes + self.maybe + self.no


def results(poll: DatePoll) -> list[OptionResult]:
    """Counts of yes, if need be and no per candidate, also by country (of the person's
    stakeholder; "" when unknown), best first: yes + ½·if need be, then fewer no, then earlier."""
    options = list(poll.options.all())
    found = {option.pk: OptionResult(option) for option in options}
    rows = (
        PollAnswer.objects.filter(option__poll=poll)
        .order_by()
        .values_list("option_id", "choice", "invitee__contact__stakeholder__country")
        .annotate(n=Count("pk"))
    )
    for option_id, choice, country, n in rows:
        result = found[option_id]
        setattr(result, choice, getattr(result, choice) + n)
        counts = result.by_country.setdefault(country or "", {"yes": 0, "maybe": 0, "no": 0})
        counts[choice] += n
    return sorted(found.values(), key=lambda r: (-r.score, r.no, r.option.starts_at, r.option.pk))


def countries_in(results_list: list[OptionResult]) -> list[str]:
    """The countries that answered, in the registry's order (unknown last)."""
    order = list(calendars.ZONES)
    seen = {c for r in results_list for c in r.by_country}
    return sorted(seen, key=lambda c: order.index(c) if c in order else len(order))


def public_counts(poll: DatePoll) -> dict[int, dict[str, int]]:
    """{option id: {"yes": n, "maybe": n}}: what anyone asked in the poll may see."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"yes": 0, "maybe": 0})
    rows = (
        PollAnswer.objects.filter(option__poll=poll, choice__in=[Choice.YES, Choice.MAYBE])
        .order_by()
        .values_list("option_id", "choice")
        .annotate(n=Count("pk"))
    )
    for option_id, choice, n in rows:
        counts[option_id][choice] = n
    return counts


def invitee_counts(poll: DatePoll) -> dict[str, int]:
    return poll.invitees.aggregate(
        asked=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
    )


def asked_contacts(poll: DatePoll) -> QuerySet:
    return Contact.objects.filter(poll_invitations__poll=poll).select_related("stakeholder")


def invitee_by_token(token: str) -> PollInvitee | None:
    """The person a personal link is for, or None for a token no link ever had (a malformed one
    included: never sent to the database)."""
    if not (20 <= len(token) <= 64) or not all(c.isalnum() or c in "-_" for c in token):
        return None
    if not token.isascii():
        return None
    return (
        PollInvitee.objects.select_related(
            "poll__alpcafe", "poll__chosen_option", "contact__stakeholder"
        )
        .filter(token=token)
        .first()
    )


def poll_preselection(alpcafe: AlpCafe, value: str) -> Preselection | None:
    """For the invitation review: the people who said yes or if need be to the date chosen in
    the AlpCafé's poll ``value`` (its id); None when that names no decided poll of it."""
    poll_id = parse_id(value)
    if poll_id is None:
        return None
    poll = (
        DatePoll.objects.filter(pk=poll_id, alpcafe=alpcafe, state=DatePoll.State.DECIDED)
        .select_related("chosen_option")
        .first()
    )
    if poll is None or poll.chosen_option is None:
        return None
    contacts = Contact.objects.filter(
        poll_invitations__poll=poll,
        poll_invitations__answers__option=poll.chosen_option,
        poll_invitations__answers__choice__in=[Choice.YES, Choice.MAYBE],
    )
    return Preselection(
        contacts=contacts,
        description=_(
            "Preselected from the date poll: the people who answered yes or if need be for the "
            "chosen date."
        ),
    )
