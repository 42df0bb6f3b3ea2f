import pytest
from django.contrib.auth.models import Group

from outbox.models import Message
from outbox.services import messages_send
from stakeholders.services import contact_for_user
from stakeholders.tests.factories import SectorFactory, StakeholderFactory, UserFactory

from .factories import OpportunityFactory


def member_of(stakeholder, email=None, **fields):
    """A member whose contact belongs to ``stakeholder``."""
    user = UserFactory(**({"email": email} if email else {}), **fields)
    contact = contact_for_user(user=user)
    contact.stakeholder = stakeholder
    contact.phone = f"+43 512 {user.pk:06d}"
    contact.role = "Business developer"
    contact.save()
    return user


def send_all() -> list:
    """Send what waits in the outbox (the tests' transactions never commit, so nothing was
    handed to a worker); returns Django's test outbox."""
    from django.core import mail

    messages_send(message_ids=list(Message.objects.queued().values_list("pk", flat=True)))
    return mail.outbox


@pytest.fixture
def mechatronics():
    return SectorFactory(name="Mechatronics", slug="mechatronics")


@pytest.fixture
def org_at(mechatronics):
    return StakeholderFactory(name="Tyrol Mechatronics", country="AT", sectors=[mechatronics])


@pytest.fixture
def org_it(mechatronics):
    return StakeholderFactory(
        name="Lombardy Robotics", country="IT", kind="sme", sectors=[mechatronics]
    )


@pytest.fixture
def owner(org_at):
    return member_of(org_at, email="owner@tyrol.example", first_name="Olivia")


@pytest.fixture
def other(org_it):
    return member_of(org_it, email="other@lombardy.example", first_name="Oscar")


@pytest.fixture
def moderator():
    user = UserFactory(email="moderator@example.org")
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


@pytest.fixture
def offer(org_at, owner, mechatronics):
    return OpportunityFactory(
        stakeholder=org_at,
        created_by=owner,
        title="Sensor retrofit for machine tools",
        sectors=[mechatronics],
    )
