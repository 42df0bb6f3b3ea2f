"""AlpCafés and participations in the admin: lists, filters, inlines, actions through services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alpcafes import services
from alpcafes.models import AlpCafe, Participation
from outbox.models import Message
from stakeholders.tests.factories import ContactFactory, UserFactory

from .factories import AlpCafeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_alpcafe_list_shows_counts_and_filters(staff_client):
    alpcafe = AlpCafeFactory(title="Wood AlpCafé", capacity=1)
    for _ in range(3):
        services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    AlpCafeFactory(title="A draft", state=AlpCafe.State.DRAFT)
    url = reverse("admin:alpcafes_alpcafe_changelist")
    response = staff_client.get(url)
    row = next(r for r in response.context["cl"].result_list if r.pk == alpcafe.pk)
    assert (row.registered_count, row.waitlist_count) == (1, 2)
    assert staff_client.get(url, {"state__exact": "draft"}).context["cl"].result_count == 1
    assert staff_client.get(url, {"q": "wood"}).context["cl"].result_count == 1


def test_alpcafe_change_page_shows_the_guest_list(staff_client):
    alpcafe = AlpCafeFactory()
    contact = ContactFactory(first_name="Inline", last_name="Guest")
    services.participation_register(alpcafe=alpcafe, contact=contact)
    html = staff_client.get(reverse("admin:alpcafes_alpcafe_change", args=[alpcafe.pk]))
    assert "Inline Guest" in html.content.decode()


def test_cancel_action_goes_through_the_service_and_tells_everyone(
    staff_client, django_capture_on_commit_callbacks
):
    alpcafe = AlpCafeFactory()
    contact = ContactFactory()
    services.participation_register(alpcafe=alpcafe, contact=contact)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:alpcafes_alpcafe_changelist"),
            {"action": "cancel", "_selected_action": [alpcafe.pk]},
        )
    alpcafe.refresh_from_db()
    assert alpcafe.state == AlpCafe.State.CANCELLED
    assert any(m.subject.startswith("[AlpClusters] Cancelled:") for m in mail.outbox)


def test_mark_held_action_refuses_what_is_not_over(staff_client):
    alpcafe = AlpCafeFactory()
    response = staff_client.post(
        reverse("admin:alpcafes_alpcafe_changelist"),
        {"action": "mark_held", "_selected_action": [alpcafe.pk]},
        follow=True,
    )
    assert "once it is over" in response.content.decode()
    alpcafe.refresh_from_db()
    assert alpcafe.state == AlpCafe.State.SCHEDULED


def test_saving_a_new_time_in_the_admin_tells_the_guests(staff_client, organiser):
    alpcafe = AlpCafeFactory(organisers=[organiser])
    services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    url = reverse("admin:alpcafes_alpcafe_change", args=[alpcafe.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    later = timezone.localtime(alpcafe.starts_at + timedelta(days=1))
    data.update(
        {
            "starts_at_0": later.strftime("%Y-%m-%d"),
            "starts_at_1": later.strftime("%H:%M:%S"),
            "ends_at_0": (later + timedelta(hours=3)).strftime("%Y-%m-%d"),
            "ends_at_1": (later + timedelta(hours=3)).strftime("%H:%M:%S"),
            "organisers": [organiser.pk],
            "host": "",
            "registration_deadline_0": "",
            "registration_deadline_1": "",
            "participations-TOTAL_FORMS": "1",
            "participations-INITIAL_FORMS": "1",
            "participations-MIN_NUM_FORMS": "0",
            "participations-MAX_NUM_FORMS": "1000",
            "participations-0-id": str(alpcafe.participations.get().pk),
            "participations-0-alpcafe": str(alpcafe.pk),
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    alpcafe.refresh_from_db()
    assert alpcafe.sequence == 1
    assert Message.objects.filter(kind="alpcafes.change").count() == 1


def test_participation_actions_check_in_and_free_the_seat(staff_client):
    # Today: check-in opens on the day.
    alpcafe = AlpCafeFactory(capacity=1, starts_at=timezone.now() + timedelta(minutes=30))
    first = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    second = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    url = reverse("admin:alpcafes_participation_changelist")
    staff_client.post(url, {"action": "check_in", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.attended
    staff_client.post(url, {"action": "cancel_place", "_selected_action": [first.pk]})
    second.refresh_from_db()
    assert second.status == Participation.Status.REGISTERED  # promoted by the service
    assert Message.objects.filter(kind="alpcafes.promotion", contact=second.contact).exists()
