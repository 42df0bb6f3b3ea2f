import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from alpcafes.models import Participation
from stakeholders.models import Contact
from stakeholders.tests.factories import StakeholderFactory, UserFactory


@pytest.fixture
def organiser():
    user = UserFactory(email="organiser@example.org")
    user.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    return user


@pytest.fixture
def add_participants():
    """Bulk-add ``n`` participants with the given status (and contacts who accept mail)."""

    def add(alpcafe, n: int, status=Participation.Status.REGISTERED, attended=False):
        stakeholder = StakeholderFactory()
        now = timezone.now()
        start = Contact.objects.count()
        contacts = Contact.objects.bulk_create(
            Contact(
                stakeholder=stakeholder,
                first_name="Guest",
                last_name=f"{start + i}",
                email=f"guest{start + i}-{alpcafe.pk}@private.example.net",
                mail_consent_at=now,
                listing_consent_at=now,
            )
            for i in range(n)
        )
        return Participation.objects.bulk_create(
            Participation(
                alpcafe=alpcafe,
                contact=contact,
                status=status,
                attended_at=now if attended else None,
            )
            for contact in contacts
        )

    return add
