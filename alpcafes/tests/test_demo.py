import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from alpcafes import demo as demo_alpcafes
from alpcafes.models import AlpCafe, Participation
from outbox.models import Message
from stakeholders import demo as demo_registry
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db
Status = Participation.Status


def _involved():
    # involved() joins through contacts and participations: one row per attendance.
    return Stakeholder.objects.involved().distinct()


def _snapshot():
    return {
        "mail": sorted(
            Message.objects.values_list("kind", "contact__email", "state", "dedupe_key", "sent_at")
        ),
        "alpcafes": sorted(
            AlpCafe.objects.values_list("slug", "state", "starts_at", "host__slug", "updated_at")
        ),
        "participations": sorted(
            Participation.objects.values_list(
                "pk",
                "alpcafe__slug",
                "contact__email",
                "status",
                "waitlist_position",
                "responded_at",
                "attended_at",
            )
        ),
    }


def test_seed_demo_holds_five_alpcafes_that_involved_81_stakeholders(client, capsys):
    call_command("seed_demo")

    held = AlpCafe.objects.filter(state=AlpCafe.State.HELD).select_related("host")
    assert held.count() == 5
    assert len(set(held.values_list("country", flat=True))) == 5
    for alpcafe in held:
        alpcafe.full_clean(validate_unique=False)
        assert alpcafe.is_past and alpcafe.has_location
        assert alpcafe.host.is_partner and alpcafe.host.country == alpcafe.country
        assert alpcafe.organisers.filter(email="organiser@example.org").exists()
        assert alpcafe.outcomes_summary and alpcafe.needs_heard and alpcafe.expectations_heard
        assert alpcafe.participations.registered().count() <= alpcafe.capacity
    attended = Participation.objects.attended()
    assert not attended.exclude(alpcafe__state=AlpCafe.State.HELD).exists()
    assert not attended.exclude(status=Status.REGISTERED).exists()
    # Whoever was invited accepts mail, and the outbox holds nothing the sweep would send.
    invited = Message.objects.filter(kind="alpcafes.invitation")
    assert invited.count() > 100
    assert not invited.filter(contact__mail_consent_at__isnull=True).exists()
    assert not Message.objects.exclude(state=Message.State.SENT).exists()

    involved = _involved()
    assert involved.count() == demo_alpcafes.INVOLVED_TOTAL == 81
    assert not involved.exclude(state=Stakeholder.State.PUBLISHED).exists()
    assert not involved.filter(slug__startswith=demo_registry.BULK_PREFIX).exists()
    twice = involved.annotate(
        times=Count(
            "contacts__participations__alpcafe",
            filter=Q(contacts__participations__attended_at__isnull=False),
            distinct=True,
        )
    ).filter(times__gte=2)
    assert twice.exists()
    assert "81 stakeholders took part" in capsys.readouterr().out

    response = client.get("/stakeholders/", {"involved": "yes"})
    assert response.status_code == 200
    assert "81 stakeholders" in response.content.decode()


def test_seed_demo_opens_two_upcoming_alpcafes_one_full_with_a_waitlist():
    call_command("seed_demo", verbosity=0)

    upcoming = list(AlpCafe.objects.upcoming())
    assert len(upcoming) == 2
    assert all(a.state == AlpCafe.State.SCHEDULED and a.is_open_for_registration for a in upcoming)
    full = AlpCafe.objects.get(slug="alpcafe-demo-upcoming-1")
    assert full.participations.registered().count() == full.capacity == 12
    waitlist = full.participations.waitlisted()
    assert list(waitlist.values_list("waitlist_position", flat=True)) == [1, 2, 3]
    # The waitlist is in the order people registered.
    assert list(waitlist) == sorted(waitlist, key=lambda p: p.responded_at)
    open_one = AlpCafe.objects.get(slug="alpcafe-demo-upcoming-2")
    assert 0 < open_one.participations.registered().count() < open_one.capacity // 2
    assert open_one.participations.registered().filter(contact__user__email="member@example.org")


def test_seed_demo_alpcafes_are_idempotent():
    call_command("seed_demo", verbosity=0)
    first = _snapshot()
    call_command("seed_demo", verbosity=0)
    assert _snapshot() == first
    assert _involved().count() == 81
