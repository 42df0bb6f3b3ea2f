from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from alpcafes.models import AlpCafe, Participation
from alpcafes.tasks import queue_outcome_reminders_task, queue_reminders_task

from .factories import AlpCafeFactory

pytestmark = pytest.mark.django_db
Status = Participation.Status


def test_reminders_go_to_registered_participants_once_when_due(
    add_participants, django_capture_on_commit_callbacks
):
    due = AlpCafeFactory(starts_at=timezone.now() + timedelta(hours=40), reminder_hours=48)
    not_yet = AlpCafeFactory(starts_at=timezone.now() + timedelta(hours=60), reminder_hours=48)
    short = AlpCafeFactory(starts_at=timezone.now() + timedelta(hours=20), reminder_hours=24)
    off = AlpCafeFactory(starts_at=timezone.now() + timedelta(hours=2), reminder_hours=0)
    registered = add_participants(due, 2)
    add_participants(due, 1, status=Status.WAITLISTED)
    add_participants(not_yet, 1)
    add_participants(short, 1)
    add_participants(off, 1)

    with django_capture_on_commit_callbacks(execute=True):
        assert queue_reminders_task.apply().get() == 3
    assert sorted(m.to[0] for m in mail.outbox if "AlpCafé" in m.subject) == sorted(
        [p.contact.email for p in registered] + [short.participations.get().contact.email]
    )
    assert all(m.subject.startswith("[AlpClusters] Reminder: ") for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_reminders_task.apply().get() == 0
    assert len(mail.outbox) == 3


def test_organisers_are_asked_for_outcomes_the_day_after_once(
    organiser, django_capture_on_commit_callbacks
):
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
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_outcome_reminders_task.apply().get() == 1
    assert [m.to for m in mail.outbox] == [[organiser.email]]
    assert f"/alpcafes/{ended.slug}/manage/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_outcome_reminders_task.apply().get() == 0
    assert len(mail.outbox) == 1


def test_a_reminder_is_not_sent_once_the_participant_cancelled(add_participants):
    from alpcafes import services
    from outbox.services import messages_send

    due = AlpCafeFactory(starts_at=timezone.now() + timedelta(hours=40), reminder_hours=48)
    participation = add_participants(due, 1)[0]
    assert services.reminders_queue() == 1
    services.participation_decline(participation=participation)
    messages_send(message_ids=list(due_messages(due)))
    assert not [m for m in mail.outbox if m.subject.startswith("[AlpClusters] Reminder")]


def due_messages(alpcafe):
    from outbox.models import Message

    return Message.objects.about(alpcafe).values_list("pk", flat=True)
