from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from alpcafes.models import AlpCafe, Participation
from alpcafes.tasks import send_outcome_reminders_task, send_reminders_task

from .factories import AlpCafeFactory

pytestmark = pytest.mark.django_db
Status = Participation.Status


def test_reminders_go_to_registered_participants_once_when_due(add_participants):
    due = AlpCafeFactory(starts_at=timezone.now() + timedelta(hours=40), reminder_hours=48)
    not_yet = AlpCafeFactory(starts_at=timezone.now() + timedelta(hours=60), reminder_hours=48)
    short = AlpCafeFactory(starts_at=timezone.now() + timedelta(hours=20), reminder_hours=24)
    off = AlpCafeFactory(starts_at=timezone.now() + timedelta(hours=2), reminder_hours=0)
    registered = add_participants(due, 2)
    add_participants(due, 1, status=Status.WAITLISTED)
    add_participants(not_yet, 1)
    add_participants(short, 1)
    add_participants(off, 1)

    assert send_reminders_task.apply().get() == 3
    assert sorted(m.to[0] for m in mail.outbox if "AlpCafé" in m.subject) == sorted(
        [p.contact.email for p in registered] + [short.participations.get().contact.email]
    )
    assert all(m.subject.startswith("[AlpClusters] Reminder: ") for m in mail.outbox)
    assert send_reminders_task.apply().get() == 0
    assert len(mail.outbox) == 3


def test_organisers_are_asked_for_outcomes_the_day_after_once(organiser):
    ended = AlpCafeFactory(
        organisers=[organiser],
        starts_at=timezone.now() - timedelta(days=1, hours=4),
        ends_at=timezone.now() - timedelta(days=1, hours=1),
    )
    AlpCafeFactory(
        organisers=[organiser],
        starts_at=timezone.now() - timedelta(hours=4),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    AlpCafeFactory(
        organisers=[organiser],
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
        state=AlpCafe.State.HELD,
    )
    assert send_outcome_reminders_task.apply().get() == 1
    assert [m.to for m in mail.outbox] == [[organiser.email]]
    assert f"/alpcafes/{ended.slug}/manage/" in mail.outbox[0].body
    assert send_outcome_reminders_task.apply().get() == 0
    assert len(mail.outbox) == 1
