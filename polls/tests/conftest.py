from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from alpcafes.models import AlpCafe
from alpcafes.tests.factories import AlpCafeFactory
from polls import services
from stakeholders.tests.factories import ContactFactory, StakeholderFactory, UserFactory


def at(days: int, hour: int = 10, minute: int = 0) -> datetime:
    """``days`` from today at ``hour`` in the portal's time zone."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def person(country="AT", region="Tirol", city="Innsbruck", **fields):
    """A contact of a published stakeholder in ``country`` and ``region``."""
    stakeholder = StakeholderFactory(country=country, region=region, city=city)
    return ContactFactory(stakeholder=stakeholder, **fields)


@pytest.fixture
def organiser():
    user = UserFactory(email="organiser@example.org")
    user.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    return user


@pytest.fixture
def draft(organiser):
    return AlpCafeFactory(
        state=AlpCafe.State.DRAFT,
        title="Wood & Tourism AlpCafé",
        starts_at=at(90),
        ends_at=at(90, 13),
        organisers=[organiser],
    )


@pytest.fixture
def make_poll(organiser):
    """A poll for ``alpcafe`` with candidates ``days`` ahead (10:00–12:00), closing in 7 days,
    sent to ``people`` if given."""

    def make(alpcafe, days=(20, 21, 22), people=(), closes_in=7):
        poll = services.poll_save(
            alpcafe=alpcafe,
            candidates=[(at(d), at(d, 12)) for d in days],
            closes_at=at(closes_in, 18),
            created_by=organiser,
        )
        if people:
            services.poll_ask(poll=poll, contacts=people)
            poll.refresh_from_db()
        return poll

    return make
