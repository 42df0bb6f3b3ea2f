import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from alpcafes.models import AlpCafe, Participation
from outbox.models import Message
from stakeholders.tests.factories import ContactFactory, StakeholderFactory, UserFactory

from .factories import AlpCafeFactory, ParticipationFactory

pytestmark = pytest.mark.django_db
Status = Participation.Status


# --- RSVP links -----------------------------------------------------------------------------


def test_rsvp_link_accepts_and_declines_without_an_account(client):
    participation = ParticipationFactory()
    url = participation.get_rsvp_url()
    assert "Will you come?" in client.get(url).content.decode()
    client.post(url, {"answer": "accept"})
    participation.refresh_from_db()
    assert participation.status == Status.REGISTERED and participation.responded_at
    client.post(url, {"answer": "decline"})
    participation.refresh_from_db()
    assert participation.status == Status.CANCELLED


def test_rsvp_tampered_token_is_404_and_changes_nothing(client):
    participation = ParticipationFactory()
    tampered = participation.token[:-1] + ("A" if participation.token[-1] != "A" else "B")
    response = client.post(reverse("alpcafes:rsvp", args=[tampered]), {"answer": "accept"})
    assert response.status_code == 404
    participation.refresh_from_db()
    assert participation.status == Status.INVITED


def test_rsvp_token_is_for_that_contact_and_that_alpcafe_only(client):
    mine = ParticipationFactory()
    other = ParticipationFactory()
    client.post(mine.get_rsvp_url(), {"answer": "accept"})
    other.refresh_from_db()
    assert other.status == Status.INVITED
    assert mine.token != other.token and len(mine.token) >= 40


def test_rsvp_link_expires_when_the_alpcafe_ends(client):
    ended = AlpCafeFactory(
        starts_at=timezone.now() - timedelta(hours=5), ends_at=timezone.now() - timedelta(hours=1)
    )
    participation = ParticipationFactory(alpcafe=ended)
    response = client.post(participation.get_rsvp_url(), {"answer": "accept"})
    assert response.status_code == 410
    participation.refresh_from_db()
    assert participation.status == Status.INVITED


# --- Public pages and calendars -------------------------------------------------------------


def test_list_shows_upcoming_and_past_never_drafts(client):
    AlpCafeFactory(title="Coming Soon")
    AlpCafeFactory(
        title="Long Ago",
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=30) + timedelta(hours=2),
        state=AlpCafe.State.HELD,
    )
    AlpCafeFactory(title="Secret Draft", state=AlpCafe.State.DRAFT)
    html = client.get(reverse("alpcafes:list")).content.decode()
    assert "Coming Soon" in html and "Long Ago" in html and "Secret Draft" not in html


def test_detail_shows_spots_left_time_and_outcomes(client, add_participants):
    alpcafe = AlpCafeFactory(capacity=10)
    add_participants(alpcafe, 7)
    html = client.get(alpcafe.get_absolute_url()).content.decode()
    assert "3 of 10 seats left" in html
    assert "data-local-time" in html and "CET" in html
    held = AlpCafeFactory(
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
        state=AlpCafe.State.HELD,
        needs_heard="Better rail links.",
    )
    assert "Better rail links." in client.get(held.get_absolute_url()).content.decode()


def test_member_registers_and_cancels_and_the_waitlist_moves(
    client, django_capture_on_commit_callbacks
):
    alpcafe = AlpCafeFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    client.post(reverse("alpcafes:register", args=[alpcafe.slug]))
    client.force_login(second)
    response = client.post(reverse("alpcafes:register", args=[alpcafe.slug]), follow=True)
    assert "you are on the waitlist" in response.content.decode()
    client.force_login(first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("alpcafes:cancel_registration", args=[alpcafe.slug]))
    assert alpcafe.participations.get(contact__user=second).status == Status.REGISTERED
    assert [m.to for m in mail.outbox] == [[second.email]]


def test_ics_has_the_event_with_url_and_location(client):
    alpcafe = AlpCafeFactory(title="Mechatronics AlpCafé", venue="NOI Techpark", city="Bolzano")
    response = client.get(reverse("alpcafes:ics", args=[alpcafe.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Mechatronics AlpCafé"
    assert event.decoded("DTSTART") == alpcafe.starts_at.replace(microsecond=0)
    assert str(event["URL"]).endswith(alpcafe.get_absolute_url())
    assert "NOI Techpark" in str(event["LOCATION"])
    assert str(event["UID"]) == f"alpcafe-{alpcafe.pk}@alpclusters"


def test_calendar_feed_has_every_public_alpcafe(client):
    AlpCafeFactory(title="One")
    AlpCafeFactory(title="Two", state=AlpCafe.State.CANCELLED)
    AlpCafeFactory(title="Draft", state=AlpCafe.State.DRAFT)
    calendar = Calendar.from_ical(client.get(reverse("alpcafes:feed")).content)
    events = {str(e["SUMMARY"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}
    assert events == {"One": "CONFIRMED", "Two": "CANCELLED"}


def test_no_contact_email_on_public_alpcafe_pages(client, add_participants):
    alpcafe = AlpCafeFactory()
    participants = add_participants(alpcafe, 5)
    for url in [
        reverse("alpcafes:list"),
        alpcafe.get_absolute_url(),
        reverse("alpcafes:ics", args=[alpcafe.slug]),
        reverse("alpcafes:feed"),
    ]:
        body = client.get(url).content.decode()
        for p in participants:
            assert p.contact.email not in body


# --- Organiser flows ------------------------------------------------------------------------


def test_organiser_creates_an_alpcafe_with_clear_errors(client, organiser):
    client.force_login(organiser)
    url = reverse("alpcafes:create")
    start = (timezone.localtime() + timedelta(days=10)).replace(microsecond=0)
    data = {
        "title": "Wood AlpCafé",
        "format": "hybrid",
        "venue": "Holzhaus",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 25,
        "language": "de",
        "reminder_hours": 48,
        "state": "scheduled",
    }
    response = client.post(url, data)
    errors = response.context["form"].errors
    assert "ends_at" in errors and "online_url" in errors
    assert AlpCafe.objects.count() == 0
    data.update(
        ends_at=(start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        online_url="meet.example.org/wood",
    )
    response = client.post(url, data)
    alpcafe = AlpCafe.objects.get()
    assert response.url == reverse("alpcafes:manage", args=[alpcafe.slug])
    assert list(alpcafe.organisers.all()) == [organiser]
    assert alpcafe.online_url == "https://meet.example.org/wood"


def test_arriving_with_registry_filters_goes_on_to_invite_with_them(client, organiser):
    """The impact page's coverage gaps link to a new AlpCafé with the gap's filters."""
    client.force_login(organiser)
    query = "?country=IT&kind=research&involved=no&sort=name&unknown=1"
    url = reverse("alpcafes:create") + query
    html = client.get(url).content.decode()
    kept = "country=IT&amp;involved=no&amp;kind=research"
    assert f'action="?{kept}"' in html
    start = (timezone.localtime() + timedelta(days=10)).replace(microsecond=0)
    data = {
        "title": "Research AlpCafé",
        "format": "in_person",
        "venue": "Aula",
        "city": "Trento",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 25,
        "language": "it",
        "reminder_hours": 48,
        "state": "scheduled",
    }
    response = client.post(
        reverse("alpcafes:create") + "?country=IT&involved=no&kind=research", data
    )
    alpcafe = AlpCafe.objects.get()
    invite = reverse("alpcafes:invite", args=[alpcafe.slug])
    assert response.url == f"{invite}?country=IT&involved=no&kind=research"
    # A draft cannot invite yet: its organiser manages it first.
    data.update(title="Draft AlpCafé", state="draft")
    response = client.post(reverse("alpcafes:create") + "?country=IT", data)
    draft = AlpCafe.objects.get(title="Draft AlpCafé")
    assert response.url == reverse("alpcafes:manage", args=[draft.slug])


def test_invite_counts_previews_reviews_and_sends(
    client, organiser, django_capture_on_commit_callbacks
):
    alpcafe = AlpCafeFactory(organisers=[organiser])
    at = StakeholderFactory(country="AT")
    it = StakeholderFactory(country="IT")
    yes_at = ContactFactory(stakeholder=at, first_name="Anna")
    ContactFactory(stakeholder=at, first_name="Nomail", mail_consent_at=None)
    ContactFactory(stakeholder=it, first_name="Italo")
    client.force_login(organiser)
    url = reverse("alpcafes:invite", args=[alpcafe.slug])
    assert client.get(url, {"country": "AT", "format": "count"}).json() == {
        "count": 1,
        "label": "1 recipient",
    }
    assert client.get(url, {"format": "count"}).json()["label"] == "2 recipients"
    html = client.get(url, {"country": "AT"}).content.decode()
    assert "Anna" in html and "Italo" not in html and "Nomail" not in html

    review = reverse("alpcafes:invite_review", args=[alpcafe.slug])
    response = client.get(review, {"country": "AT"})
    html = response.content.decode()
    assert "Invitation: " in html and "Send 1 invitation" in html
    assert "Anna" in html and "Italo" not in html  # the frozen list is shown
    frozen = response.context["invitees"]
    # Someone who appears in the registry after the review is not invited by "Send".
    ContactFactory(stakeholder=at, first_name="Late")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review, {"invitees": frozen})
    assert response.url == reverse("alpcafes:manage", args=[alpcafe.slug])
    assert [m.to for m in mail.outbox] == [[yes_at.email]]
    assert client.get(reverse("alpcafes:progress", args=[alpcafe.slug])).json() == {
        "queued": 1,
        "sent": 1,
    }
    # Sending the same list again invites nobody twice; a forged list invites nobody.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review, {"invitees": frozen})
        client.post(review, {"invitees": frozen[:-3] + "abc"})
        client.post(review, {"country": "IT"})
    assert len(mail.outbox) == 1


def test_guest_list_csv_and_check_in(client, organiser, add_participants):
    alpcafe = AlpCafeFactory(organisers=[organiser], starts_at=timezone.now() + timedelta(hours=1))
    registered = add_participants(alpcafe, 3)
    add_participants(alpcafe, 2, status=Status.WAITLISTED)
    client.force_login(organiser)
    response = client.post(
        reverse("alpcafes:check_in", args=[alpcafe.slug]),
        {"participation": registered[0].pk, "attended": "1"},
    )
    assert response.status_code == 302
    registered[0].refresh_from_db()
    assert registered[0].attended
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("alpcafes:guests_csv", args=[alpcafe.slug])).content.decode()
            )
        )
    )
    assert len(rows) == 5
    assert sorted(r["attended"] for r in rows).count("yes") == 1
    html = client.get(reverse("alpcafes:check_in", args=[alpcafe.slug])).content.decode()
    assert "1 of 3 checked in" in html


def test_outcomes_and_mark_held(client, organiser):
    alpcafe = AlpCafeFactory(
        organisers=[organiser],
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    client.force_login(organiser)
    client.post(
        reverse("alpcafes:outcomes", args=[alpcafe.slug]),
        {
            "outcomes_summary": "Lively.",
            "needs_heard": "Skills.",
            "expectations_heard": "",
            "mark_held": "1",
        },
    )
    alpcafe.refresh_from_db()
    assert alpcafe.state == AlpCafe.State.HELD and alpcafe.needs_heard == "Skills."


def test_organiser_cancels_and_everyone_registered_is_told(
    client, organiser, add_participants, django_capture_on_commit_callbacks
):
    alpcafe = AlpCafeFactory(organisers=[organiser])
    add_participants(alpcafe, 2)
    add_participants(alpcafe, 1, status=Status.WAITLISTED)
    add_participants(alpcafe, 1, status=Status.DECLINED)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("alpcafes:cancel", args=[alpcafe.slug]))
    alpcafe.refresh_from_db()
    assert alpcafe.state == AlpCafe.State.CANCELLED
    assert len(mail.outbox) == 3


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["list", "detail", "manage", "check_in", "guests_csv", "rsvp"])
def test_query_counts_are_equal_at_10_and_500_participants(
    client,
    organiser,
    add_participants,
    page,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    alpcafe = AlpCafeFactory(organisers=[organiser], capacity=1000)
    add_participants(alpcafe, 10)
    client.force_login(organiser)
    invited = ParticipationFactory(alpcafe=alpcafe)
    url = {
        "list": reverse("alpcafes:list"),
        "detail": alpcafe.get_absolute_url(),
        "manage": reverse("alpcafes:manage", args=[alpcafe.slug]),
        "check_in": reverse("alpcafes:check_in", args=[alpcafe.slug]),
        "guests_csv": reverse("alpcafes:guests_csv", args=[alpcafe.slug]),
        "rsvp": invited.get_rsvp_url(),
    }[page]
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    add_participants(alpcafe, 490)
    add_participants(alpcafe, 10, attended=True)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


# --- Mail through the outbox -------------------------------------------------------------------


def test_organisers_see_what_went_to_whom_and_when(client, organiser):
    from alpcafes import services

    alpcafe = AlpCafeFactory(organisers=[organiser])
    contact = ContactFactory(first_name="Olga", last_name="Outbox")
    services.invitations_create(alpcafe=alpcafe, contacts=[contact])
    Message.objects.update(state=Message.State.SENT, sent_at=timezone.now())
    client.force_login(organiser)
    response = client.get(reverse("alpcafes:mail", args=[alpcafe.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Olga Outbox" in html and "Invitation" in html and "Sent" in html
    assert contact.email not in html


def test_a_seat_freed_while_the_broker_is_down_still_reaches_the_first_waiting(
    client, broker_down, django_capture_on_commit_callbacks
):
    """The promoted person is told once the broker is back (the sweep finds the row)."""
    from datetime import timedelta as delta

    from alpcafes import services
    from outbox.services import outbox_sweep

    alpcafe = AlpCafeFactory(capacity=1)
    leaving = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    waiting = services.participation_register(alpcafe=alpcafe, contact=ContactFactory())
    Message.objects.update(state=Message.State.SENT)  # the confirmations
    response = client.post(leaving.get_rsvp_url(), {"answer": "decline"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.REGISTERED
    assert mail.outbox == []
    promotion = Message.objects.get(kind="alpcafes.promotion")
    assert promotion.contact == waiting.contact and promotion.state == Message.State.QUEUED

    broker_down.restore()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep(now=timezone.now() + delta(minutes=10)) == 1
    assert [m.to for m in mail.outbox] == [[waiting.contact.email]]
    assert "a seat has become free" in mail.outbox[0].body


def test_check_in_opens_on_the_day_finds_people_and_adds_walk_ins(client, organiser):
    from alpcafes import services

    later = AlpCafeFactory(organisers=[organiser])  # a week ahead
    participation = ParticipationFactory(alpcafe=later, status=Status.REGISTERED)
    client.force_login(organiser)
    url = reverse("alpcafes:check_in", args=[later.slug])
    assert "Check-in opens on the day" in client.get(url).content.decode()
    client.post(url, {"participation": participation.pk, "attended": "1"})
    participation.refresh_from_db()
    assert not participation.attended

    today = AlpCafeFactory(organisers=[organiser], starts_at=timezone.now() + timedelta(hours=1))
    for first, last in [("Greta", "Gruber"), ("Paolo", "Pini")]:
        services.participation_register(
            alpcafe=today, contact=ContactFactory(first_name=first, last_name=last)
        )
    url = reverse("alpcafes:check_in", args=[today.slug])
    html = client.get(url, {"q": "grub"}).content.decode()
    assert "Greta Gruber" in html and "Paolo Pini" not in html
    # A non-numeric or absurd id is a 404, never a 500.
    for bad in ("abc", "²", "99999999999999999999999"):
        assert client.post(url, {"participation": bad, "attended": "1"}).status_code == 404
    assert client.post(url, {"participation": "1\x00", "attended": "1"}).status_code == 400
    response = client.post(
        url,
        {"walk_in": "1", "first_name": "Wanda", "last_name": "Walkin", "organisation": "Holz AG"},
    )
    assert response.status_code == 302
    walk_in = today.participations.get(contact__last_name="Walkin")
    assert walk_in.attended and walk_in.status == Status.REGISTERED
    assert walk_in.contact.email == "" and not walk_in.contact.accepts_mail
    assert "1 of 3 checked in" in client.get(url).content.decode()
    # A walk-in with an address we know is that contact, not a new one.
    known = ContactFactory(email="known@private.example.net", first_name="Kai")
    client.post(
        url,
        {"walk_in": "1", "first_name": "K", "last_name": "X", "email": "KNOWN@private.example.net"},
    )
    assert today.participations.get(contact=known).attended


def test_my_alpcafes_lists_registrations_and_what_an_organiser_organises(client, organiser):
    from alpcafes import services
    from stakeholders.services import contact_for_user

    member = UserFactory()
    contact = contact_for_user(user=member)
    full = AlpCafeFactory(title="Full one", capacity=1)
    services.participation_register(alpcafe=full, contact=ContactFactory())
    services.participation_register(alpcafe=full, contact=contact)
    services.participation_register(alpcafe=AlpCafeFactory(title="Open one"), contact=contact)
    client.force_login(member)
    html = client.get(reverse("alpcafes:mine")).content.decode()
    assert "Open one" in html and "Full one" in html and "Waitlist, position 1" in html
    assert "AlpCafés you organise" not in html
    AlpCafeFactory(title="Organised one", organisers=[organiser])
    client.force_login(organiser)
    html = client.get(reverse("alpcafes:mine")).content.decode()
    assert "Organised one" in html


def test_co_organisers_manage_the_alpcafe_too(client, organiser):
    from django.contrib.auth.models import Group

    colleague = UserFactory(first_name="Cora", last_name="Colleague")
    colleague.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    alpcafe = AlpCafeFactory(organisers=[organiser])
    client.force_login(colleague)
    assert client.get(reverse("alpcafes:manage", args=[alpcafe.slug])).status_code == 403
    client.force_login(organiser)
    url = reverse("alpcafes:edit", args=[alpcafe.slug])
    form = client.get(url).context["form"]
    assert "Cora Colleague" in str(form["organisers"])
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, "")
    }
    data.update(
        {
            "starts_at": timezone.localtime(alpcafe.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(alpcafe.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "organisers": [organiser.pk, colleague.pk],
        }
    )
    assert client.post(url, data).status_code == 302
    client.force_login(colleague)
    assert client.get(reverse("alpcafes:manage", args=[alpcafe.slug])).status_code == 200


def test_the_online_link_is_for_seat_holders_only(client):
    from alpcafes import services
    from stakeholders.services import contact_for_user

    alpcafe = AlpCafeFactory(
        format=AlpCafe.Format.HYBRID, online_url="https://meet.example.org/secret-room", capacity=1
    )
    url = alpcafe.get_absolute_url()
    assert "secret-room" not in client.get(url).content.decode()
    assert "secret-room" not in client.get(reverse("alpcafes:feed")).content.decode()
    assert (
        "secret-room"
        not in client.get(reverse("alpcafes:ics", args=[alpcafe.slug])).content.decode()
    )
    member, waiting = UserFactory(), UserFactory()
    services.participation_register(alpcafe=alpcafe, contact=contact_for_user(user=member))
    services.participation_register(alpcafe=alpcafe, contact=contact_for_user(user=waiting))
    client.force_login(waiting)
    assert "secret-room" not in client.get(url).content.decode()
    client.force_login(member)
    assert "secret-room" in client.get(url).content.decode()


def test_the_rsvp_page_speaks_the_contacts_language(client):
    participation = ParticipationFactory(contact=ContactFactory(language="it"))
    html = client.get(participation.get_rsvp_url()).content.decode()
    assert '<html lang="it">' in html
    client.cookies["django_language"] = "fr"
    assert '<html lang="fr">' in client.get(participation.get_rsvp_url()).content.decode()


def test_an_alpcafe_page_links_its_reports_and_has_open_graph_tags(client):
    from blog.models import Post
    from blog.tests.factories import PostFactory

    alpcafe = AlpCafeFactory(
        title="Held in Trento", state=AlpCafe.State.HELD, theme="Timber and tourism"
    )
    PostFactory(kind=Post.Kind.REPORT, alpcafe=alpcafe, title="What we heard in Trento")
    PostFactory(kind=Post.Kind.REPORT, alpcafe=alpcafe, title="A draft", state="draft")
    html = client.get(alpcafe.get_absolute_url()).content.decode()
    assert "Reports from this AlpCafé" in html and "What we heard in Trento" in html
    assert "A draft" not in html
    assert '<meta property="og:title" content="Held in Trento">' in html
    assert '<meta property="og:description" content="Timber and tourism">' in html


def test_the_invitation_review_shows_typed_markup_as_text(client, organiser):
    """The sample mail is rendered from a template (so marked safe) but holds what the organiser
    typed: the review prints it as text, never as markup (it ran as a script before)."""
    alpcafe = AlpCafeFactory(organisers=[organiser], title="Test <script>alert(1)</script> Lyon")
    ContactFactory(stakeholder=StakeholderFactory(country="SI"), first_name="Ana")
    client.force_login(organiser)
    html = client.get(
        reverse("alpcafes:invite_review", args=[alpcafe.slug]), {"country": "SI"}
    ).content.decode()
    assert "Ana" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_invitation_review_shows_no_working_personal_link(client, organiser):
    """The sample is the first recipient's mail: their unsubscribe and preferences links open
    their settings and data without a log-in, so the organiser sees stand-ins."""
    alpcafe = AlpCafeFactory(organisers=[organiser])
    first = ContactFactory(stakeholder=StakeholderFactory(country="SI"), first_name="Ana")
    client.force_login(organiser)
    html = client.get(
        reverse("alpcafes:invite_review", args=[alpcafe.slug]), {"country": "SI"}
    ).content.decode()
    assert "Ana" in html
    assert first.preferences_url() not in html
    assert first.unsubscribe_url("mail") not in html
    assert "/mail/preferences/" not in html and "/mail/unsubscribe/" not in html
    assert "PREFERENCES-LINK" in html


@pytest.mark.parametrize("bad", [{"country": "ZZ"}, {"sector": "99999"}, {"kind": "nonsense"}])
def test_an_invalid_filter_invites_nobody(
    client, organiser, bad, django_capture_on_commit_callbacks
):
    """A filter value that does not exist (an old or edited address) used to be ignored, so the
    count, the review and "Send" took the whole registry."""
    alpcafe = AlpCafeFactory(organisers=[organiser])
    ContactFactory(stakeholder=StakeholderFactory(country="AT"))
    client.force_login(organiser)
    url = reverse("alpcafes:invite", args=[alpcafe.slug])
    assert client.get(url, {**bad, "format": "count"}).json()["count"] == 0
    assert "Select a valid choice" in client.get(url, bad).content.decode()
    review = reverse("alpcafes:invite_review", args=[alpcafe.slug])
    assert client.get(review, bad).context["count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review, bad)
    assert mail.outbox == []
