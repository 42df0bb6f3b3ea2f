from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from alpcafes.tests.factories import AlpCafeFactory, ParticipationFactory
from partnerships import services
from partnerships.models import Attendee, MeetingRequest
from stakeholders.tests.factories import StakeholderFactory, UserFactory

from .conftest import member_of, send_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    user = UserFactory(email="orga@example.org")
    user.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    return user


@pytest.fixture
def alpcafe(organiser):
    return AlpCafeFactory(title="Mechatronics AlpCafé", organisers=[organiser], venue="NOI")


@pytest.fixture
def matchmaking(alpcafe):
    return services.matchmaking_setup(
        alpcafe=alpcafe, first_start=alpcafe.starts_at, slot_minutes=20, slot_count=3, tables=2
    )


def _participant(alpcafe, name, country="AT"):
    user = member_of(StakeholderFactory(name=f"{name} Org", country=country), first_name=name)
    ParticipationFactory(alpcafe=alpcafe, contact=user.contact, status="registered")
    return user


def _attendee(matchmaking, user) -> Attendee:
    participation = user.contact.participations.get(alpcafe=matchmaking.alpcafe)
    return services.attendee_join(matchmaking=matchmaking, participation=participation)


def test_setup_makes_slots_and_changing_them_drops_placements(alpcafe, matchmaking):
    assert str(matchmaking.slots.first()).count("–") == 1
    assert matchmaking.slots.count() == 3 and matchmaking.tables == 2
    a, b = (_attendee(matchmaking, _participant(alpcafe, n)) for n in ("Ana", "Bo"))
    meeting = services.meeting_request(requester=a, invitee=b)
    services.meeting_answer(meeting=meeting, attendee=b, accept=True)
    services.meetings_schedule(matchmaking=matchmaking)
    meeting.refresh_from_db()
    assert meeting.slot is not None
    services.matchmaking_setup(
        alpcafe=alpcafe,
        first_start=alpcafe.starts_at + timedelta(hours=1),
        slot_minutes=20,
        slot_count=3,
        tables=2,
    )
    meeting.refresh_from_db()
    assert meeting.slot is None and meeting.table is None


def test_only_registered_participants_join(alpcafe, matchmaking):
    user = member_of(StakeholderFactory())
    participation = ParticipationFactory(alpcafe=alpcafe, contact=user.contact, status="invited")
    with pytest.raises(ValidationError):
        services.attendee_join(matchmaking=matchmaking, participation=participation)


def test_request_mails_the_other_and_cannot_be_asked_twice(alpcafe, matchmaking):
    ana, bo = _participant(alpcafe, "Ana"), _participant(alpcafe, "Bo", "SI")
    a, b = _attendee(matchmaking, ana), _attendee(matchmaking, bo)
    services.meeting_request(requester=a, invitee=b, message="About sensors")
    (message,) = send_all()
    assert message.to == [bo.email]
    assert "About sensors" in message.body and "Ana" in message.subject
    assert ana.email not in message.body
    with pytest.raises(ValidationError):
        services.meeting_request(requester=b, invitee=a)
    with pytest.raises(ValidationError):
        services.meeting_request(requester=a, invitee=a)


def test_schedule_agenda_ics_and_mail(client, alpcafe, matchmaking, organiser):
    people = [_participant(alpcafe, n) for n in ("Ana", "Bo", "Cy")]
    a, b, c = (_attendee(matchmaking, u) for u in people)
    for x, y in ((a, b), (a, c), (b, c)):
        services.meeting_answer(
            meeting=services.meeting_request(requester=x, invitee=y), attendee=y, accept=True
        )
    send_all()
    result = services.meetings_schedule(matchmaking=matchmaking)
    assert result == {"scheduled": 3, "accepted": 3, "bound": 3}
    placed = list(MeetingRequest.objects.exclude(slot=None))
    assert len({m.slot_id for m in placed}) == 3  # everyone meets everyone, one slot each

    client.force_login(people[0])
    page = client.get(reverse("partnerships:agenda", args=[alpcafe.slug])).content.decode()
    assert "Bo Example" in page and "Cy Example" in page
    # The day and the time zone too (the agenda gave the times only).
    assert "data-local-time" in page and ("CET" in page or "CEST" in page)
    ics = client.get(reverse("partnerships:agenda_ics", args=[alpcafe.slug]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert ics.content.count(b"BEGIN:VEVENT") == 2 and b"table" in ics.content

    from django.core import mail

    mail.outbox.clear()
    assert services.agendas_send(matchmaking=matchmaking) == 3
    sent = send_all()
    assert len(sent) == 3
    (to_ana,) = [m for m in sent if m.to == [people[0].email]]
    assert "Your meetings at Mechatronics AlpCafé" in to_ana.subject
    assert to_ana.attachments[0][0] == "meetings.ics"
    assert services.agendas_send(matchmaking=matchmaking) == 0  # unchanged: not again


def test_unavailable_slots_are_respected(alpcafe, matchmaking):
    a, b = (_attendee(matchmaking, _participant(alpcafe, n)) for n in ("Ana", "Bo"))
    first, second, third = matchmaking.slots.all()
    services.attendee_set_unavailable(attendee=a, slots=[first, second])
    meeting = services.meeting_request(requester=a, invitee=b)
    services.meeting_answer(meeting=meeting, attendee=b, accept=True)
    services.meetings_schedule(matchmaking=matchmaking)
    meeting.refresh_from_db()
    assert meeting.slot == third


def test_marking_the_time_of_a_placed_meeting_unavailable_is_refused(client, alpcafe, matchmaking):
    """It used to take the meeting off both agendas without a word to the other person."""
    a, b = (_attendee(matchmaking, _participant(alpcafe, n)) for n in ("Ana", "Bo"))
    first, second, _third = matchmaking.slots.all()
    meeting = services.meeting_request(requester=a, invitee=b)
    services.meeting_answer(meeting=meeting, attendee=b, accept=True)
    services.meeting_move(meeting=meeting, slot=first, table=1)
    with pytest.raises(ValidationError, match="already have a meeting"):
        services.attendee_set_unavailable(attendee=b, slots=[first, second])
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table) == (first, 1)
    assert list(b.unavailable.all()) == []
    # From the page: the message says why, and nothing changed.
    client.force_login(b.participation.contact.user)
    response = client.post(
        reverse("partnerships:meetings", args=[alpcafe.slug]),
        {"action": "availability", "unavailable": [first.pk]},
        follow=True,
    )
    assert "already have a meeting" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.slot == first
    services.attendee_set_unavailable(attendee=b, slots=[second])  # a free time is fine
    assert list(b.unavailable.all()) == [second]


def test_moving_a_meeting_is_validated(alpcafe, matchmaking):
    a, b, c, d = (_attendee(matchmaking, _participant(alpcafe, n)) for n in "ABCD")
    ab = services.meeting_request(requester=a, invitee=b)
    cd = services.meeting_request(requester=c, invitee=d)
    ac = services.meeting_request(requester=a, invitee=c)
    for meeting, who in ((ab, b), (cd, d), (ac, c)):
        services.meeting_answer(meeting=meeting, attendee=who, accept=True)
    first, second, third = matchmaking.slots.all()
    services.meeting_move(meeting=ab, slot=first, table=1)
    services.meeting_move(meeting=cd, slot=first, table=2)
    with pytest.raises(ValidationError, match="table is taken"):
        services.meeting_move(meeting=ac, slot=first, table=2)
    with pytest.raises(ValidationError, match="another meeting"):
        MeetingRequest.objects.filter(pk=cd.pk).update(slot=None, table=None)
        services.meeting_move(meeting=ac, slot=first, table=2)
    with pytest.raises(ValidationError, match="No such"):
        services.meeting_move(meeting=ac, slot=second, table=3)
    services.attendee_set_unavailable(attendee=c, slots=[second])
    with pytest.raises(ValidationError, match="not available"):
        services.meeting_move(meeting=ac, slot=second, table=1)
    services.meeting_move(meeting=ac, slot=third, table=2)
    ac.refresh_from_db()
    assert (ac.slot, ac.table) == (third, 2)


def test_grid_page_for_the_organiser_shows_and_moves(client, alpcafe, matchmaking, organiser):
    a, b = (_attendee(matchmaking, _participant(alpcafe, n)) for n in ("Ana", "Bo"))
    meeting = services.meeting_request(requester=a, invitee=b)
    services.meeting_answer(meeting=meeting, attendee=b, accept=True)
    client.force_login(organiser)
    url = reverse("partnerships:grid", args=[alpcafe.slug])
    client.post(url, {"action": "schedule"})
    page = client.get(url).content.decode()
    assert "Ana Example ↔ Bo Example" in page and "1 of 1 accepted meetings scheduled" in page
    assert "css/meetings.css" in page
    last = matchmaking.slots.last()
    client.post(url, {"action": "move", "meeting": meeting.pk, "slot": last.pk, "table": 2})
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table) == (last, 2)
    response = client.post(
        url, {"action": "move", "meeting": meeting.pk, "slot": last.pk, "table": "x"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.table == 2


def test_participants_page_join_request_answer(client, alpcafe, matchmaking):
    ana, bo = _participant(alpcafe, "Ana"), _participant(alpcafe, "Bo")
    url = reverse("partnerships:meetings", args=[alpcafe.slug])
    client.force_login(bo)
    client.post(url, {"action": "join"})
    client.force_login(ana)
    page = client.get(url).content.decode()
    assert "Take part in the meetings" in page and "Bo Example" not in page
    client.post(url, {"action": "join"})
    page = client.get(url).content.decode()
    assert "Bo Example" in page and bo.email not in page
    other = Attendee.objects.get(participation__contact__user=bo)
    client.post(url, {"action": "request", "to": other.pk, "message": "Hi"})
    meeting = MeetingRequest.objects.get()
    client.force_login(bo)
    client.post(url, {"action": "answer", "meeting": meeting.pk, "decision": "accept"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.ACCEPTED


def test_someone_not_registered_cannot_see_the_participants(client, alpcafe, matchmaking):
    client.force_login(member_of(StakeholderFactory()))
    assert client.get(reverse("partnerships:meetings", args=[alpcafe.slug])).status_code == 403


def test_my_data_holds_my_meetings_and_sent_interest_without_naming_others(alpcafe, matchmaking):
    from common import personal_data

    ana, bo = _participant(alpcafe, "Ana"), _participant(alpcafe, "Bo")
    a, b = _attendee(matchmaking, ana), _attendee(matchmaking, bo)
    meeting = services.meeting_request(requester=a, invitee=b)
    services.meeting_answer(meeting=meeting, attendee=b, accept=True)
    services.meetings_schedule(matchmaking=matchmaking)
    data = personal_data.collect(user=ana, contact=ana.contact)["partnerships"]
    (mine,) = data["meetings"]
    assert mine["alpcafe"] == "Mechatronics AlpCafé" and mine["table"] == 1
    assert "Bo" not in str(data)
