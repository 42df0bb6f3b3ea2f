"""The services of date polls: their rules, their mail and the path to a scheduled AlpCafé."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from alpcafes.models import AlpCafe
from alpcafes.tests.factories import AlpCafeFactory
from outbox.models import Message
from outbox.services import messages_send
from polls import selectors, services
from polls.mail import PollInvitationMail, PollReminderMail
from polls.models import DatePoll, PollAnswer, PollInvitee

from .conftest import at, person

pytestmark = pytest.mark.django_db
State = DatePoll.State
YES, MAYBE, NO = PollAnswer.Choice.YES, PollAnswer.Choice.MAYBE, PollAnswer.Choice.NO


def _answer(poll, contact, *choices):
    invitee = PollInvitee.objects.get(poll=poll, contact=contact)
    options = list(poll.options.all())
    return services.poll_answer(
        invitee=invitee, choices={o.pk: c for o, c in zip(options, choices, strict=True)}
    )


# --- Proposing dates -------------------------------------------------------------------------


def test_a_poll_is_saved_with_its_candidates_in_order(draft, make_poll):
    poll = make_poll(draft, days=(30, 10, 20))
    assert poll.state == State.DRAFT and poll.can_be_edited
    assert [o.starts_at for o in poll.options.all()] == [at(10), at(20), at(30)]
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("candidates", "closes", "message"),
    [
        ([(10, 10, 12)], 5, "Propose between 2 and 8 dates."),
        ([(d, 10, 12) for d in range(10, 19)], 5, "Propose between 2 and 8 dates."),
        ([(10, 10, 12), (10, 10, 13)], 5, "Two candidates start at the same time."),
        ([(10, 12, 10), (11, 10, 12)], 5, "The end must come after the start."),
        ([(-1, 10, 12), (11, 10, 12)], -3, "Candidates must be in the future"),
        ([(10, 10, 12), (900, 10, 12)], 5, "Candidates must be in the future"),
        ([(10, 10, 12), (11, 10, 12)], 12, "The poll must close before the first candidate."),
        ([(10, 10, 12), (11, 10, 12)], -1, "The poll must close in the future."),
    ],
)
def test_bad_candidates_are_refused_and_nothing_is_saved(draft, candidates, closes, message):
    with pytest.raises(ValidationError) as error:
        services.poll_save(
            alpcafe=draft,
            candidates=[(at(d, h), at(d, e)) for d, h, e in candidates],
            closes_at=at(closes, 18),
        )
    assert any(message in m for m in error.value.messages), error.value.messages
    assert not DatePoll.objects.exists()


def test_only_a_draft_alpcafe_has_a_poll_and_only_one_at_a_time(draft, make_poll):
    scheduled = AlpCafeFactory()
    with pytest.raises(ValidationError, match="Only a draft AlpCafé"):
        make_poll(scheduled)
    poll = make_poll(draft)
    with pytest.raises(ValidationError, match="already has a date poll"):
        make_poll(draft)
    services.poll_ask(poll=poll, contacts=[person()])
    services.poll_close(poll=poll)
    # Closed without a decision: a new poll may start.
    assert make_poll(draft, days=(40, 41)).pk != poll.pk


def test_dates_change_until_the_poll_is_sent(draft, make_poll):
    poll = make_poll(draft)
    services.poll_save(
        alpcafe=draft,
        poll=poll,
        candidates=[(at(15), at(15, 12)), (at(16), at(16, 12))],
        closes_at=at(8, 18),
    )
    assert [o.starts_at for o in poll.options.all()] == [at(15), at(16)]
    services.poll_ask(poll=poll, contacts=[person()])
    with pytest.raises(ValidationError, match="cannot change once the poll was sent"):
        services.poll_save(
            alpcafe=draft,
            poll=poll,
            candidates=[(at(17), at(17, 12)), (at(18), at(18, 12))],
            closes_at=at(8, 18),
        )
    assert poll.options.count() == 2


# --- Asking people ---------------------------------------------------------------------------


def test_asking_opens_the_poll_and_queues_one_invitation_each(draft, make_poll):
    anna, ben = person(first_name="Anna"), person(first_name="Ben")
    silent = person(mail_consent_at=None)
    poll = make_poll(draft)
    created = services.poll_ask(poll=poll, contacts=[anna, ben, silent])
    poll.refresh_from_db()
    assert len(created) == 2 and poll.state == State.OPEN and poll.sent_at
    assert set(poll.invitees.values_list("contact", flat=True)) == {anna.pk, ben.pk}
    messages = Message.objects.of_kind(PollInvitationMail)
    assert sorted(messages.values_list("contact", flat=True)) == sorted([anna.pk, ben.pk])
    # Asking again, or more people while it is open: nobody twice.
    carla = person(first_name="Carla")
    assert len(services.poll_ask(poll=poll, contacts=[anna, carla])) == 1
    assert messages.count() == 3
    tokens = set(poll.invitees.values_list("token", flat=True))
    assert len(tokens) == 3 and all(len(t) >= 40 for t in tokens)


def test_nobody_is_asked_once_the_poll_is_closed(draft, make_poll):
    poll = make_poll(draft, people=[person()])
    services.poll_close(poll=poll)
    with pytest.raises(ValidationError, match="no longer takes answers"):
        services.poll_ask(poll=poll, contacts=[person()])
    assert poll.invitees.count() == 1


def test_the_invitation_is_in_the_contacts_language_and_time_zone_with_their_link(draft, make_poll):
    contact = person(language="de", first_name="Jürgen")
    poll = make_poll(draft, days=(20, 200), people=[contact])
    messages_send(message_ids=list(Message.objects.values_list("pk", flat=True)))
    (sent,) = mail.outbox
    invitee = poll.invitees.get()
    assert sent.extra_headers["X-AlpClusters-Kind"] == "polls.invitation"
    assert "List-Unsubscribe" in sent.extra_headers
    assert invitee.get_vote_url() in sent.body
    assert "Hallo Jürgen" in sent.body and "Wood & Tourism AlpCafé" in sent.body
    winter, _summer = poll.options.all()
    assert f"{timezone.localtime(winter.starts_at):%H:%M}–" in sent.body
    assert " MEZ" in sent.body and " MESZ" in sent.body  # winter and summer dates


def test_an_invitation_waiting_when_the_poll_closes_is_not_sent(draft, make_poll):
    poll = make_poll(draft, people=[person()])
    services.poll_close(poll=poll)
    counts = messages_send(message_ids=list(Message.objects.values_list("pk", flat=True)))
    assert counts == {"sent": 0, "cancelled": 1, "failed": 0}
    assert "closed" in Message.objects.get().reason


def test_a_contact_who_withdrew_consent_gets_no_poll_mail(draft, make_poll):
    contact = person()
    make_poll(draft, people=[contact])
    contact.mail_consent_at = None
    contact.save()
    counts = messages_send(message_ids=list(Message.objects.values_list("pk", flat=True)))
    assert counts["cancelled"] == 1 and not mail.outbox


# --- Answering -------------------------------------------------------------------------------


def test_answers_are_saved_and_change_until_the_poll_closes(draft, make_poll):
    contact = person()
    poll = make_poll(draft, people=[contact])
    invitee = _answer(poll, contact, YES, MAYBE, NO)
    assert invitee.answered_at
    assert list(invitee.answers.order_by("option__starts_at").values_list("choice", flat=True)) == [
        YES,
        MAYBE,
        NO,
    ]
    _answer(poll, contact, NO, NO, YES)
    assert invitee.answers.count() == 3
    assert sorted(invitee.answers.values_list("choice", flat=True)) == [NO, NO, YES]
    services.poll_close(poll=poll)
    with pytest.raises(ValidationError, match="closed"):
        _answer(poll, contact, YES, YES, YES)
    assert sorted(invitee.answers.values_list("choice", flat=True)) == [NO, NO, YES]


def test_answers_after_the_closing_time_or_once_the_alpcafe_is_scheduled_are_refused(
    draft, make_poll
):
    contact = person()
    poll = make_poll(draft, people=[contact])
    DatePoll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError):
        _answer(poll, contact, YES, YES, YES)
    DatePoll.objects.filter(pk=poll.pk).update(closes_at=at(7))
    AlpCafe.objects.filter(pk=draft.pk).update(state=AlpCafe.State.SCHEDULED)
    with pytest.raises(ValidationError):
        _answer(poll, contact, YES, YES, YES)
    assert not PollAnswer.objects.exists()


def test_an_incomplete_or_foreign_set_of_answers_is_refused(draft, make_poll):
    contact = person()
    poll = make_poll(draft, people=[contact])
    other = make_poll(AlpCafeFactory(state=AlpCafe.State.DRAFT), days=(30, 31))
    invitee = PollInvitee.objects.get(poll=poll, contact=contact)
    first, second, third = poll.options.all()
    bad = [
        {first.pk: YES, second.pk: YES},
        {first.pk: YES, second.pk: YES, third.pk: "perhaps"},
        {first.pk: YES, second.pk: YES, other.options.first().pk: YES},
    ]
    for choices in bad:
        with pytest.raises(ValidationError, match="Answer for every date"):
            services.poll_answer(invitee=invitee, choices=choices)
    assert not PollAnswer.objects.exists()


# --- Results ---------------------------------------------------------------------------------


def test_results_count_per_candidate_and_country_best_first(draft, make_poll):
    at_1, at_2 = person("AT"), person("AT")
    de_1 = person("DE", "Bayern", "München")
    it_1 = person("IT", "Lombardia", "Milano")
    fr_1 = person("FR", "Rhône-Alpes", "Grenoble")
    poll = make_poll(draft, days=(20, 21, 22), people=[at_1, at_2, de_1, it_1, fr_1])
    _answer(poll, at_1, YES, MAYBE, YES)
    _answer(poll, at_2, NO, YES, MAYBE)
    _answer(poll, de_1, YES, YES, MAYBE)
    _answer(poll, it_1, MAYBE, NO, YES)
    # fr_1 has not answered.
    first, second, third = poll.options.all()
    results = selectors.results(poll)
    by_option = {r.option.pk: r for r in results}
    assert (by_option[first.pk].yes, by_option[first.pk].maybe, by_option[first.pk].no) == (2, 1, 1)
    assert (by_option[third.pk].yes, by_option[third.pk].maybe, by_option[third.pk].no) == (2, 2, 0)
    # Third: 2 + ½·2 = 3; first: 2.5 with one no; second: 2 + ½ = 2.5 with one no, later.
    assert [r.option.pk for r in results] == [third.pk, first.pk, second.pk]
    assert by_option[first.pk].by_country == {
        "AT": {"yes": 1, "maybe": 0, "no": 1},
        "DE": {"yes": 1, "maybe": 0, "no": 0},
        "IT": {"yes": 0, "maybe": 1, "no": 0},
    }
    assert selectors.countries_in(results) == ["AT", "DE", "IT"]
    assert selectors.invitee_counts(poll) == {"asked": 5, "answered": 4}
    assert selectors.public_counts(poll)[third.pk] == {"yes": 2, "maybe": 2}


def test_fewer_no_breaks_a_tie(draft, make_poll):
    a, b, c = person(), person(), person()
    poll = make_poll(draft, days=(20, 21), people=[a, b, c])
    _answer(poll, a, YES, YES)
    _answer(poll, b, NO, MAYBE)
    _answer(poll, c, MAYBE, NO)
    first, second = poll.options.all()
    # Equal scores (1.5 each), one "no" each: the earlier first.
    assert [r.option for r in selectors.results(poll)] == [first, second]
    _answer(poll, c, MAYBE, MAYBE)
    # Second: 1 + ½·2 = 2 beats first (1.5).
    assert [r.option for r in selectors.results(poll)] == [second, first]


# --- Choosing the date -----------------------------------------------------------------------


def test_choosing_a_date_schedules_the_alpcafe_and_closes_the_poll(draft, make_poll):
    draft.registration_deadline = draft.starts_at - timedelta(days=2)
    draft.save()
    yes, maybe, no = person(), person(), person()
    poll = make_poll(draft, people=[yes, maybe, no])
    _answer(poll, yes, YES, NO, NO)
    _answer(poll, maybe, MAYBE, YES, NO)
    _answer(poll, no, NO, YES, YES)
    chosen = poll.options.first()
    alpcafe = services.poll_decide(poll=poll, option=chosen)
    alpcafe.refresh_from_db()
    poll.refresh_from_db()
    assert alpcafe.state == AlpCafe.State.SCHEDULED
    assert (alpcafe.starts_at, alpcafe.ends_at) == (chosen.starts_at, chosen.ends_at)
    assert alpcafe.registration_deadline == chosen.starts_at - timedelta(days=2)
    assert poll.state == State.DECIDED and poll.chosen_option == chosen and poll.decided_at
    assert not poll.accepts_answers
    preselected = selectors.poll_preselection(alpcafe, str(poll.pk))
    assert set(preselected.contacts) == {yes, maybe}
    # Decided once: not again.
    with pytest.raises(ValidationError):
        services.poll_decide(poll=poll, option=poll.options.last())


def test_a_date_of_another_poll_or_a_passed_one_cannot_be_chosen(draft, make_poll):
    poll = make_poll(draft, people=[person()])
    other = make_poll(AlpCafeFactory(state=AlpCafe.State.DRAFT), days=(30, 31), people=[person()])
    with pytest.raises(ValidationError, match="not one of the poll's candidates"):
        services.poll_decide(poll=poll, option=other.options.first())
    option = poll.options.first()
    option.starts_at = timezone.now() - timedelta(hours=1)
    option.ends_at = timezone.now() + timedelta(hours=1)
    option.save()
    with pytest.raises(ValidationError, match="passed"):
        services.poll_decide(poll=poll, option=option)
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_draft_poll_cannot_be_decided(draft, make_poll):
    poll = make_poll(draft)
    with pytest.raises(ValidationError):
        services.poll_decide(poll=poll, option=poll.options.first())


def test_preselection_names_only_a_decided_poll_of_that_alpcafe(draft, make_poll):
    poll = make_poll(draft, people=[person()])
    assert selectors.poll_preselection(draft, str(poll.pk)) is None  # not decided
    services.poll_decide(poll=poll, option=poll.options.first())
    assert selectors.poll_preselection(AlpCafeFactory(), str(poll.pk)) is None
    for bad in ["", "x", "1\x00", "-1", "١", "9" * 40]:
        assert selectors.poll_preselection(draft, bad) is None


# --- Beat: closing and reminders -------------------------------------------------------------


def test_reminders_go_once_to_who_has_not_answered_when_due(draft, make_poll):
    answered, waiting = person(), person()
    poll = make_poll(draft, people=[answered, waiting], closes_in=10)
    _answer(poll, answered, YES, YES, YES)
    poll.refresh_from_db()
    due = poll.reminder_due_at
    assert due == poll.closes_at - timedelta(hours=48)
    assert services.poll_reminders_queue(now=due - timedelta(minutes=1)) == 0
    assert services.poll_reminders_queue(now=due) == 1
    assert services.poll_reminders_queue(now=due + timedelta(hours=1)) == 0
    (reminder,) = Message.objects.of_kind(PollReminderMail)
    assert reminder.contact == waiting
    # Who answers before it goes out is not reminded after all.
    _answer(poll, waiting, NO, NO, YES)
    messages_send(message_ids=[reminder.pk])
    reminder.refresh_from_db()
    assert reminder.state == Message.State.CANCELLED


def test_a_short_poll_reminds_half_way_and_late_invitees_are_not_reminded_at_once(draft, make_poll):
    early = person()
    poll = make_poll(draft, people=[early], closes_in=2)
    poll.refresh_from_db()
    assert poll.reminder_due_at == poll.sent_at + (poll.closes_at - poll.sent_at) / 2
    late = person()
    services.poll_ask(poll=poll, contacts=[late])
    PollInvitee.objects.filter(contact=early).update(created_at=timezone.now() - timedelta(days=1))
    now = poll.reminder_due_at + timedelta(minutes=1)
    PollInvitee.objects.filter(contact=late).update(created_at=now - timedelta(hours=2))
    assert services.poll_reminders_queue(now=now) == 1
    assert Message.objects.of_kind(PollReminderMail).get().contact == early


def test_closed_polls_and_scheduled_alpcafes_get_no_reminders(draft, make_poll):
    poll = make_poll(draft, people=[person()], closes_in=10)
    poll.refresh_from_db()
    due = poll.reminder_due_at
    services.poll_close(poll=poll)
    assert services.poll_reminders_queue(now=due) == 0
    other = make_poll(AlpCafeFactory(state=AlpCafe.State.DRAFT), people=[person()], closes_in=10)
    AlpCafe.objects.filter(pk=other.alpcafe_id).update(state=AlpCafe.State.SCHEDULED)
    assert services.poll_reminders_queue(now=due) == 0


def test_due_polls_are_closed_by_beat(draft, make_poll):
    poll = make_poll(draft, people=[person()], closes_in=3)
    scheduled = make_poll(AlpCafeFactory(state=AlpCafe.State.DRAFT), people=[person()], closes_in=3)
    AlpCafe.objects.filter(pk=scheduled.alpcafe_id).update(state=AlpCafe.State.SCHEDULED)
    assert services.polls_close_due() == 1  # the scheduled AlpCafé's
    assert services.polls_close_due(now=poll.closes_at) == 1
    poll.refresh_from_db()
    assert poll.state == State.CLOSED


def test_the_beat_task_closes_and_reminds(draft, make_poll):
    from polls.tasks import poll_housekeeping_task

    assert poll_housekeeping_task.delay().get() == {"closed": 0, "reminded": 0}


# --- Data rights -----------------------------------------------------------------------------


def test_a_persons_data_holds_their_polls_and_answers_never_others(draft, make_poll):
    from common import personal_data

    mine, other = person(), person()
    poll = make_poll(draft, people=[mine, other])
    _answer(poll, mine, YES, MAYBE, NO)
    _answer(poll, other, NO, NO, NO)
    (entry,) = personal_data.collect(contact=mine)["date_polls"]["polls"]
    assert entry["alpcafe"] == "Wood & Tourism AlpCafé" and entry["answered"]
    assert [a["answer"] for a in entry["answers"]] == [YES, MAYBE, NO]
    assert personal_data.collect(contact=person())["date_polls"] == {"polls": []}
