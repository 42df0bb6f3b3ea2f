import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from alpcafes import services
from alpcafes.models import AlpCafe, Participation
from outbox.models import Message
from stakeholders.models import Stakeholder
from stakeholders.tests.factories import ContactFactory, StakeholderFactory

from .factories import AlpCafeFactory, ParticipationFactory

pytestmark = pytest.mark.django_db
Status = Participation.Status


def test_register_takes_seats_then_waitlists_in_order():
    alpcafe = AlpCafeFactory(capacity=2)
    results = [
        services.participation_register(alpcafe=alpcafe, contact=ContactFactory()) for _ in range(4)
    ]
    assert [p.status for p in results] == ["registered", "registered", "waitlisted", "waitlisted"]
    assert [p.waitlist_position for p in results[2:]] == [1, 2]


def test_registering_twice_changes_nothing():
    alpcafe = AlpCafeFactory(capacity=1)
    contact = ContactFactory()
    first = services.participation_register(alpcafe=alpcafe, contact=contact)
    again = services.participation_register(alpcafe=alpcafe, contact=contact)
    assert first.pk == again.pk and again.status == "registered"
    assert alpcafe.participations.count() == 1


def test_cancellation_promotes_the_first_waitlisted_and_mails_them(
    django_capture_on_commit_callbacks,
):
    alpcafe = AlpCafeFactory(capacity=1, title="Wood AlpCafé")
    seated = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    first = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    second = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_decline(participation=seated)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.waitlist_position) == ("registered", None)
    assert (second.status, second.waitlist_position) == ("waitlisted", 2)
    assert [m.to for m in mail.outbox] == [[first.contact.email]]
    assert mail.outbox[0].subject == "[AlpClusters] A seat is free for you: Wood AlpCafé"


def test_registration_is_closed_after_the_deadline_and_for_drafts():
    past_deadline = AlpCafeFactory(registration_deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.participation_register(alpcafe=past_deadline, contact=ContactFactory())
    draft = AlpCafeFactory(state=AlpCafe.State.DRAFT)
    with pytest.raises(ValidationError):
        services.participation_register(alpcafe=draft, contact=ContactFactory())
    assert Participation.objects.count() == 0


def test_invitations_skip_contacts_without_mail_consent_and_those_already_invited(
    django_capture_on_commit_callbacks,
):
    alpcafe = AlpCafeFactory()
    yes = ContactFactory()
    no = ContactFactory(mail_consent_at=None)
    already = ParticipationFactory(alpcafe=alpcafe).contact
    with django_capture_on_commit_callbacks(execute=True):
        ids = services.invitations_create(alpcafe=alpcafe, contacts=[yes, no, already])
    assert list(Participation.objects.filter(pk__in=ids).values_list("contact", flat=True)) == [
        yes.pk
    ]
    assert [m.to for m in mail.outbox] == [[yes.email]]
    invitation = Message.objects.get()
    assert invitation.contact == yes and invitation.state == Message.State.SENT


def test_invitation_mail_is_multipart_in_the_contacts_language_with_ics_and_link(
    django_capture_on_commit_callbacks,
):
    alpcafe = AlpCafeFactory(title="Holz-AlpCafé")
    contact = ContactFactory(language="de", first_name="Hanna")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(alpcafe=alpcafe, contacts=[contact])
    message = mail.outbox[0]
    participation = Participation.objects.get()
    assert message.to == [contact.email]
    # German, as the contact asked: neither the subject nor the greeting is English.
    assert "Holz-AlpCafé" in message.subject
    assert not message.subject.startswith("[AlpClusters] Invitation")
    assert "Hanna" in message.body and "Dear Hanna" not in message.body
    assert participation.token in message.body
    assert f"/alpcafes/rsvp/{participation.token}/" in message.body
    assert message.alternatives[0][1] == "text/html"
    (name, content, mimetype) = message.attachments[0]
    assert name == "alpcafe.ics" and mimetype.startswith("text/calendar")
    assert "SUMMARY:Holz-AlpCaf" in content


def test_withdrawn_consent_between_queueing_and_sending_is_honoured(
    django_capture_on_commit_callbacks,
):
    alpcafe = AlpCafeFactory()
    contact = ContactFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitations_create(alpcafe=alpcafe, contacts=[contact])
    contact.mail_consent_at = None
    contact.save()
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    invitation = Message.objects.get()
    assert invitation.state == Message.State.CANCELLED and "consent" in invitation.reason


def test_cancel_mails_everyone_registered_or_waitlisted(django_capture_on_commit_callbacks):
    alpcafe = AlpCafeFactory(capacity=1)
    registered = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    waitlisted = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    ParticipationFactory(alpcafe=alpcafe, status=Status.DECLINED)
    with django_capture_on_commit_callbacks(execute=True):
        services.alpcafe_cancel(alpcafe=alpcafe)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [registered.contact.email, waitlisted.contact.email]
    )
    assert all(m.subject.startswith("[AlpClusters] Cancelled:") for m in mail.outbox)


def test_attendance_makes_the_stakeholder_involved():
    stakeholder = StakeholderFactory()
    participation = ParticipationFactory(
        alpcafe=AlpCafeFactory(starts_at=timezone.now() - timedelta(hours=1)),
        contact=ContactFactory(stakeholder=stakeholder),
        status=Status.REGISTERED,
    )
    assert not Stakeholder.objects.involved().exists()
    services.participation_check_in(participation=participation)
    assert list(Stakeholder.objects.involved()) == [stakeholder]
    services.participation_check_in(participation=participation, attended=False)
    assert not Stakeholder.objects.involved().exists()


def test_mark_held_only_once_over_and_never_when_cancelled():
    upcoming = AlpCafeFactory()
    with pytest.raises(ValidationError):
        services.alpcafe_mark_held(alpcafe=upcoming)
    running = AlpCafeFactory(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        services.alpcafe_mark_held(alpcafe=running)
    over = AlpCafeFactory(
        starts_at=timezone.now() - timedelta(hours=4), ends_at=timezone.now() - timedelta(hours=1)
    )
    services.alpcafe_mark_held(alpcafe=over, outcomes_summary="Good talks.")
    over.refresh_from_db()
    assert over.state == "held" and over.outcomes_summary == "Good talks."


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_registrations_for_the_last_five_seats():
    """Real concurrent PostgreSQL connections: exactly five get the seats."""
    assert connection.vendor == "postgresql"
    alpcafe = AlpCafeFactory(capacity=10)
    for _ in range(5):
        services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    contacts = [ContactFactory() for _ in range(50)]
    barrier = threading.Barrier(50)
    errors = []

    def register(contact):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.participation_register(alpcafe=alpcafe, contact=contact)
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=register, args=(c,)) for c in contacts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert alpcafe.participations.registered().count() == 10
    waitlist = list(alpcafe.participations.waitlisted().values_list("waitlist_position", flat=True))
    assert waitlist == list(range(1, 46))


def test_invitations_written_once_per_batch_equal_the_ones_written_one_by_one():
    """Names that escaping, encoding and emptiness could trip: the fast path (bytes for SMTP)
    and the shared rendering give the same mail as rendering each invitation on its own."""
    import email
    import email.policy

    from outbox.composer import Wire, Writer, full_email
    from outbox.kinds import get_kind

    alpcafe = AlpCafeFactory(title="Bois & <Forêt>")
    names = ["", "O'Brien <&>", "Zoë", "Ana", "", "Jürgen"]
    contacts = [
        ContactFactory(first_name=name, language=["en", "de", "fr", "it", "sl"][i % 5])
        for i, name in enumerate(names * 3)
    ]
    services.invitations_create(alpcafe=alpcafe, contacts=contacts)
    kind = get_kind("alpcafes.invitation")
    messages = list(Message.objects.select_related("contact").order_by("pk"))
    kind.prepare(messages)
    for raw in (True, False):
        writer = Writer(raw_smtp=raw)
        fast = 0
        for message in messages:
            written = writer.write(kind, message)
            fast += isinstance(written, Wire)
            data = written.data if isinstance(written, Wire) else written.message().as_bytes()
            ordinary = full_email(kind, message).message().as_bytes()
            one = email.message_from_bytes(data, policy=email.policy.default)
            two = email.message_from_bytes(ordinary, policy=email.policy.default)
            assert one["To"] == message.contact.email
            for header in ("Subject", "List-Unsubscribe", "List-Unsubscribe-Post"):
                # Folding whitespace aside (a long header is folded when serialised whole).
                assert one[header].split() == two[header].split()
            for part in ("plain", "html"):
                body = one.get_body((part,)).get_content().replace("\r\n", "\n")
                assert body == two.get_body((part,)).get_content().replace("\r\n", "\n")
            (ics,) = one.iter_attachments()
            assert "SUMMARY:Bois & <Forêt>" in ics.get_content()
        # Every group's first message is written in full; the rest take the fast path.
        assert fast == (len(messages) - len(writer.groups) if raw else 0)
        assert all(group.shared is not None for group in writer.groups.values())


def test_invitations_carry_one_click_unsubscribe_that_withdraws_mail_consent(
    client, django_capture_on_commit_callbacks
):
    alpcafe = AlpCafeFactory()
    contact = ContactFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(alpcafe=alpcafe, contacts=[contact])
    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")
    assert client.post(url).status_code == 200
    contact.refresh_from_db()
    assert not contact.accepts_mail


def test_registering_confirms_by_mail_with_the_calendar_or_the_waitlist_position(
    django_capture_on_commit_callbacks,
):
    alpcafe = AlpCafeFactory(capacity=1, title="Seat AlpCafé")
    with django_capture_on_commit_callbacks(execute=True):
        seated = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
        waiting = services.participation_register(
            alpcafe=alpcafe, contact=ContactFactory(language="de")
        )
    by_address = {m.to[0]: m for m in mail.outbox}
    seat = by_address[seated.contact.email]
    assert seat.subject == "[AlpClusters] You are registered: Seat AlpCafé"
    assert [a[0] for a in seat.attachments] == ["alpcafe.ics"]
    wait = by_address[waiting.contact.email]
    assert "Seat AlpCafé" in wait.subject and "1" in wait.body  # position 1, in German
    assert not wait.subject.startswith("[AlpClusters] On the waitlist")  # translated


def test_raising_the_capacity_seats_the_waitlist_in_order_before_newcomers(
    django_capture_on_commit_callbacks,
):
    alpcafe = AlpCafeFactory(capacity=1)
    services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    first, second, third = (
        services.participation_register(alpcafe=alpcafe, contact=ContactFactory()) for _ in range(3)
    )
    alpcafe.refresh_from_db()
    alpcafe.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        services.alpcafe_save(alpcafe=alpcafe)
    for p in (first, second, third):
        p.refresh_from_db()
    assert [first.status, second.status, third.status] == [
        Status.REGISTERED,
        Status.REGISTERED,
        Status.WAITLISTED,
    ]
    assert third.waitlist_position == 3
    promoted = {m.to[0] for m in mail.outbox if "A seat is free for you" in m.subject}
    assert promoted == {first.contact.email, second.contact.email}
    # A newcomer goes behind the one still waiting.
    newcomer = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    assert newcomer.status == Status.WAITLISTED


def test_a_new_time_tells_everyone_with_an_updated_calendar_entry(
    django_capture_on_commit_callbacks,
):
    from icalendar import Calendar

    alpcafe = AlpCafeFactory(
        format=AlpCafe.Format.HYBRID, online_url="https://meet.example.org/room", capacity=1
    )
    registered = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    waiting = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    invited = ParticipationFactory(alpcafe=alpcafe)
    ParticipationFactory(alpcafe=alpcafe, status=Status.DECLINED)
    alpcafe.refresh_from_db()
    alpcafe.starts_at += timedelta(days=2)
    alpcafe.ends_at += timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.alpcafe_save(alpcafe=alpcafe)
    changes = {m.to[0]: m for m in mail.outbox if m.subject.startswith("[AlpClusters] Changed:")}
    assert set(changes) == {registered.contact.email, waiting.contact.email, invited.contact.email}
    for address, message in changes.items():
        (_name, content, _type) = message.attachments[0]
        event = Calendar.from_ical(content).walk("VEVENT")[0]
        assert str(event["UID"]) == f"alpcafe-{alpcafe.pk}@alpclusters"
        assert int(event["SEQUENCE"]) == 1
        assert event.decoded("DTSTART") == alpcafe.starts_at.replace(microsecond=0)
        # The online link only in the registered participant's copy.
        assert ("meet.example.org/room" in message.body) == (address == registered.contact.email)
        assert (
            "meet.example.org" in content.decode()
            if isinstance(content, bytes)
            else "meet.example.org" in content
        ) == (address == registered.contact.email)
        assert "Before the change:" in message.body


def test_typed_outcomes_survive_a_refused_mark_as_held(client):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from stakeholders.tests.factories import UserFactory

    organiser = UserFactory()
    organiser.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    alpcafe = AlpCafeFactory(organisers=[organiser])  # a week ahead: not over yet
    client.force_login(organiser)
    response = client.post(
        reverse("alpcafes:outcomes", args=[alpcafe.slug]),
        {"outcomes_summary": "Notes typed during the AlpCafé.", "mark_held": "1"},
        follow=True,
    )
    alpcafe.refresh_from_db()
    assert alpcafe.state == AlpCafe.State.SCHEDULED
    assert alpcafe.outcomes_summary == "Notes typed during the AlpCafé."
    html = response.content.decode()
    assert "once it is over" in html and "Notes typed during the AlpCafé." in html
    assert "Save and mark as held" not in html  # not offered before the end


@pytest.mark.parametrize(
    ("language", "month", "zone"),
    [("de", 1, "MEZ"), ("de", 7, "MESZ"), ("en", 1, "CET"), ("en", 7, "CEST")],
)
def test_invitation_names_the_time_zone_in_the_contacts_language(
    django_capture_on_commit_callbacks, language, month, zone
):
    """It said "CET" in a German mail (the poll mail already said "MEZ")."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    starts = datetime(timezone.now().year + 1, month, 15, 10, tzinfo=ZoneInfo("Europe/Rome"))
    alpcafe = AlpCafeFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(alpcafe=alpcafe, contacts=[ContactFactory(language=language)])
    message = mail.outbox[0]
    assert f"({zone})" in message.body
    assert f"({zone})" in message.alternatives[0][0]
