"""Staff see the outbox in the admin: filters, the message as written, the reason, and retry."""

import pytest
from django.core import mail
from django.urls import reverse

from alpcafes import services as alpcafe_services
from alpcafes.tests.factories import AlpCafeFactory
from outbox.models import Message
from stakeholders.tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def invitations():
    alpcafe = AlpCafeFactory(title="Hydrogen & the Alps")
    contacts = [ContactFactory(first_name=f"Guest{i}") for i in range(3)]
    alpcafe_services.invitations_create(alpcafe=alpcafe, contacts=contacts)
    messages = list(Message.objects.order_by("pk"))
    Message.objects.filter(pk=messages[0].pk).update(
        state=Message.State.FAILED, reason="SMTPDataError: (554, b'Rejected')", attempts=10
    )
    return alpcafe, messages


def test_outbox_list_filters_by_kind_state_and_date(staff_client, invitations):
    url = reverse("admin:outbox_message_changelist")
    html = staff_client.get(url).content.decode()
    assert "Invitation" in html and "Guest0" in html
    failed = staff_client.get(url, {"state": "failed"}).content.decode()
    assert "Guest0" in failed and "Guest1" not in failed
    by_kind = staff_client.get(url, {"kind": "alpcafes.invitation"})
    assert by_kind.context["cl"].result_count == 3
    assert staff_client.get(url, {"kind": "digests.digest"}).context["cl"].result_count == 0
    assert staff_client.get(url, {"queued_at__gte": "2000-01-01"}).status_code == 200


def test_message_page_shows_the_mail_as_written_and_the_failure(staff_client, invitations):
    _alpcafe, messages = invitations
    html = staff_client.get(
        reverse("admin:outbox_message_change", args=[messages[0].pk])
    ).content.decode()
    assert "SMTPDataError" in html
    assert "Hydrogen &amp; the Alps" in html  # the subject, rendered
    assert "Dear Guest0," in html  # the text part
    assert "srcdoc=" in html and 'sandbox=""' in html  # the HTML part, sandboxed


def test_retry_queues_a_failed_message_again_and_it_goes_out(
    staff_client, invitations, django_capture_on_commit_callbacks
):
    _alpcafe, messages = invitations
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:outbox_message_changelist"),
            {"action": "retry", "_selected_action": [m.pk for m in messages]},
        )
    assert response.status_code == 302
    failed = Message.objects.get(pk=messages[0].pk)
    assert failed.state == Message.State.SENT and failed.attempts == 1
    # Only the failed one was queued again: the others were queued, not failed.
    assert [m.to[0] for m in mail.outbox] == [failed.contact.email]


def test_outbox_is_read_only_for_staff(staff_client, invitations):
    _alpcafe, messages = invitations
    assert staff_client.get(reverse("admin:outbox_message_add")).status_code == 403
    response = staff_client.post(
        reverse("admin:outbox_message_change", args=[messages[1].pk]), {"state": "sent"}
    )
    assert response.status_code == 403
    assert Message.objects.get(pk=messages[1].pk).state == Message.State.QUEUED


def test_a_contacts_admin_page_lists_the_mail_they_were_sent(staff_client, invitations):
    _alpcafe, messages = invitations
    contact = messages[1].contact
    html = staff_client.get(
        reverse("admin:stakeholders_contact_change", args=[contact.pk])
    ).content.decode()
    assert "mail sent to this contact" in html.lower() and "Invitation" in html


def test_message_page_shows_typed_markup_as_text(staff_client):
    """The rendered mail is marked safe (it comes from a template) yet holds what people typed:
    the admin escapes it, in the text part and in the sandboxed HTML part's attribute."""
    alpcafe = AlpCafeFactory(title='Hydrogen <script>alert(1)</script> "quoted"')
    alpcafe_services.invitations_create(alpcafe=alpcafe, contacts=[ContactFactory()])
    message = Message.objects.get()
    html = staff_client.get(
        reverse("admin:outbox_message_change", args=[message.pk])
    ).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
