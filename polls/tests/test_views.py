"""The poll pages: proposing dates with clear errors, choosing who is asked, the holiday warning
before sending, answering from the personal link, live results, and poll → AlpCafé → invitation."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alpcafes.models import AlpCafe, Participation
from alpcafes.tests.factories import AlpCafeFactory
from outbox.models import Message
from polls import services
from polls.calendars import Place, holidays_on
from polls.models import DatePoll, PollAnswer, PollInvitee

from .conftest import at, person

pytestmark = pytest.mark.django_db
YES, MAYBE, NO = PollAnswer.Choice.YES, PollAnswer.Choice.MAYBE, PollAnswer.Choice.NO


def _days_until(country, subdivision, name):
    """Days from today to the next ``name`` holiday (in English) of that place, a week away at
    least (the poll must close before it)."""
    today = timezone.localdate()
    for offset in range(8, 800):
        day = today + timedelta(days=offset)
        if name in [n for n, _p in holidays_on(Place(country, subdivision), [day], "en")]:
            return offset
    raise AssertionError(name)


def _plain_days(n):
    """``n`` days ahead, each without a public holiday in any of the seven countries' capitals
    or in Bavaria, so that only the test's own holiday is warned about."""
    places = [Place(c) for c in ("AT", "CH", "FR", "IT", "LI", "SI")] + [Place("DE", "BY")]
    today = timezone.localdate()
    found = []
    for offset in range(10, 200):
        day = today + timedelta(days=offset)
        if day.weekday() < 5 and not any(holidays_on(p, [day], "en") for p in places):
            found.append(offset)
        if len(found) == n:
            return found
    raise AssertionError(n)


def _form(rows, closes_days=7):
    data = {"closes_at": at(closes_days, 18).strftime("%Y-%m-%dT%H:%M")}
    for i, (day, starts, ends) in enumerate(rows, start=1):
        data.update({f"day_{i}": day, f"starts_{i}": starts, f"ends_{i}": ends})
    return data


def _day(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _vote_data(poll, *choices):
    return {f"option_{o.pk}": c for o, c in zip(poll.options.all(), choices, strict=True)}


# --- Proposing dates -------------------------------------------------------------------------


def test_an_organiser_proposes_dates_for_a_draft(client, organiser, draft):
    client.force_login(organiser)
    manage = reverse("polls:manage", args=[draft.slug])
    assert client.get(manage).url == reverse("polls:dates", args=[draft.slug])
    response = client.post(
        reverse("polls:dates", args=[draft.slug]),
        _form([(_day(20), "10:00", "12:00"), (_day(21), "14:00", "16:30"), ("", "", "")]),
    )
    assert response.url == manage
    poll = DatePoll.objects.get()
    assert [o.starts_at for o in poll.options.all()] == [at(20), at(21, 14)]
    assert poll.options.last().ends_at == at(21, 16, 30)
    html = client.get(manage).content.decode()
    assert "Choose who is asked" in html and "Change the dates" in html
    # The form shows the saved dates for a change.
    html = client.get(reverse("polls:dates", args=[draft.slug])).content.decode()
    assert f'value="{_day(21)}"' in html and 'value="14:00"' in html


BAD = [
    ([(_day(20), "10:00", "12:00")], "Propose between 2 and 8 dates."),
    ([(_day(20), "10:00", "12:00"), (_day(20), "10:00", "11:00")], "already in the list"),
    ([(_day(20), "12:00", "10:00"), (_day(21), "10:00", "12:00")], "The end must come after"),
    ([("0001-01-01", "10:00", "12:00"), (_day(21), "10:00", "12:00")], "two years ahead"),
    ([("9999-12-31", "23:30", "23:59"), (_day(21), "10:00", "12:00")], "two years ahead"),
    ([(_day(20), "10:00", ""), (_day(21), "10:00", "12:00")], "Give the date, the start and"),
    ([("2026-02-30", "10:00", "12:00"), (_day(21), "10:00", "12:00")], "Enter a valid date"),
    ([(_day(20), "25:00", "26:00"), (_day(21), "10:00", "12:00")], "Enter a valid time"),
    ([(_day(-1), "10:00", "12:00"), (_day(21), "10:00", "12:00")], "two years ahead"),
    ([(_day(3), "10:00", "12:00"), (_day(21), "10:00", "12:00")], "close before the first"),
]


@pytest.mark.parametrize(("rows", "error"), BAD)
def test_bad_dates_are_clear_errors_and_nothing_is_saved(client, organiser, draft, rows, error):
    client.force_login(organiser)
    response = client.post(reverse("polls:dates", args=[draft.slug]), _form(rows))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not DatePoll.objects.exists()


@pytest.mark.parametrize(
    "closes_at",
    ["0001-01-01T00:00", "9999-12-31T23:59", "2020-01-01T10:00", "x", "2027-13-01T10:00"],
)
def test_a_bad_closing_time_is_a_clear_error(client, organiser, draft, closes_at):
    client.force_login(organiser)
    data = _form([(_day(20), "10:00", "12:00"), (_day(21), "10:00", "12:00")])
    data["closes_at"] = closes_at
    response = client.post(reverse("polls:dates", args=[draft.slug]), data)
    assert response.status_code == 200
    assert 'id="id_closes_at_error"' in response.content.decode()
    assert not DatePoll.objects.exists()


def test_a_nul_byte_anywhere_is_refused_and_nothing_changes(client, organiser, draft, make_poll):
    """The portal refuses a NUL byte at the door (400), before any form or query sees it."""
    poll = make_poll(draft, people=[person()])
    vote = poll.invitees.get().get_vote_url()
    client.force_login(organiser)
    requests = [
        ("post", reverse("polls:dates", args=[draft.slug]), {"day_1": "2027-01-01\x00"}),
        ("get", reverse("polls:ask", args=[draft.slug]), {"q": "\x00", "format": "count"}),
        ("post", reverse("polls:review", args=[draft.slug]), {"asked": "\x00"}),
        ("post", reverse("polls:choose", args=[draft.slug]), {"option": "1\x00"}),
        ("get", reverse("alpcafes:invite_review", args=[draft.slug]), {"poll": "\x00"}),
        ("get", "/poll/%00/", {}),
        ("get", "/poll/" + "\x00" * 43 + "/", {}),
        ("post", vote, {f"option_{o.pk}": "yes\x00" for o in poll.options.all()}),
    ]
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == 400, url
        assert "not allowed" in response.content.decode()
    poll.refresh_from_db()
    draft.refresh_from_db()
    assert poll.state == DatePoll.State.OPEN and draft.is_draft
    assert poll.options.count() == 3 and not PollAnswer.objects.exists()


def test_more_than_eight_candidates_cannot_be_sent(client, organiser, draft):
    client.force_login(organiser)
    rows = [(_day(20 + i), "10:00", "12:00") for i in range(9)]
    response = client.post(reverse("polls:dates", args=[draft.slug]), _form(rows))
    # The form has eight rows: a ninth is not read.
    assert response.status_code == 302
    assert DatePoll.objects.get().options.count() == 8


def test_no_poll_for_an_alpcafe_that_is_not_a_draft(client, organiser):
    scheduled = AlpCafeFactory(organisers=[organiser])
    client.force_login(organiser)
    response = client.get(reverse("polls:dates", args=[scheduled.slug]))
    assert response.url == reverse("polls:manage", args=[scheduled.slug])
    html = client.get(response.url).content.decode()
    assert "no longer a draft" in html
    client.post(
        reverse("polls:dates", args=[scheduled.slug]),
        _form([(_day(20), "10:00", "12:00"), (_day(21), "10:00", "12:00")]),
    )
    assert not DatePoll.objects.exists()


# --- Who is asked, and the holiday warning -----------------------------------------------------


def test_choose_who_is_asked_with_a_live_count_and_preview(client, organiser, draft, make_poll):
    poll = make_poll(draft)
    person("AT", first_name="Anna")
    person("AT", first_name="Nomail", mail_consent_at=None)
    person("IT", "Lombardia", "Milano", first_name="Italo")
    client.force_login(organiser)
    url = reverse("polls:ask", args=[draft.slug])
    assert client.get(url, {"country": "AT", "format": "count"}).json() == {
        "count": 1,
        "label": "1 person to ask",
    }
    assert client.get(url, {"format": "count"}).json() == {"count": 2, "label": "2 people to ask"}
    html = client.get(url, {"country": "AT"}).content.decode()
    assert "Anna" in html and "Italo" not in html and "Nomail" not in html
    assert reverse("polls:review", args=[draft.slug]) + "?country=AT" in html
    assert poll.invitees.count() == 0


def test_the_review_warns_of_holidays_for_the_people_asked_then_sends(
    client, organiser, draft, django_capture_on_commit_callbacks
):
    corpus_christi = _days_until("DE", "BY", "Corpus Christi")
    plain = _plain_days(1)[0]
    client.force_login(organiser)
    client.post(
        reverse("polls:dates", args=[draft.slug]),
        _form(
            [(_day(corpus_christi), "10:00", "12:00"), (_day(plain), "10:00", "12:00")],
            closes_days=5,
        ),
    )
    poll = DatePoll.objects.get()
    for i in range(3):
        person("DE", "Bayern", "Rosenheim", first_name=f"Bayer{i}")
    person("DE", "Baden-Württemberg", "Ravensburg", first_name="Schwabe")
    berne = person("CH", "Bern", "Bern", first_name="Berner")
    review = reverse("polls:review", args=[draft.slug])

    html = client.get(review, {"country": "DE"}).content.decode()
    assert 'id="holiday-warning"' in html
    assert "1 candidate falls on a public holiday" in html
    assert "Germany (Bayern 3, Baden-Württemberg 1): Corpus Christi · 4 people" in html
    assert "A public holiday for 4 of the 4 people" in html
    assert "Send the poll to 4 people" in html
    # The sample is the mail as the first person will read it.
    assert "Which dates suit you? Wood &amp; Tourism AlpCafé" in html

    # For the canton of Bern, Corpus Christi is a working day: no warning.
    html = client.get(review, {"country": "CH"}).content.decode()
    assert 'id="holiday-warning"' not in html and "Send the poll to 1 person" in html

    html = client.get(review, {"country": "DE"}).content.decode()
    signed = re.search(r'name="asked" value="([^"]+)"', html).group(1)
    # Someone new in Germany meanwhile: the frozen list, not the filters, says who is asked.
    late = person("DE", "Bayern", "Kempten", first_name="Spät")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review, {"asked": signed})
    assert response.url == reverse("polls:manage", args=[draft.slug])
    assert len(mail.outbox) == 4
    poll.refresh_from_db()
    assert poll.state == DatePoll.State.OPEN
    asked = set(poll.invitees.values_list("contact__first_name", flat=True))
    assert asked == {"Bayer0", "Bayer1", "Bayer2", "Schwabe"}
    assert not poll.invitees.filter(contact__in=[berne, late]).exists()
    assert len({m.to[0] for m in mail.outbox}) == 4
    # Asking again asks only who was not asked.
    html = client.get(review, {"country": "DE"}).content.decode()
    assert "Send the poll to 1 person" in html and "Spät" in html


def test_a_tampered_list_of_people_asks_nobody(client, organiser, draft, make_poll):
    poll = make_poll(draft)
    person()
    client.force_login(organiser)
    review = reverse("polls:review", args=[draft.slug])
    html = client.get(review).content.decode()
    signed = re.search(r'name="asked" value="([^"]+)"', html).group(1)
    for bad in [signed[:-2] + "xx", "", "[1, [2]]", signed.replace(":", "")]:
        response = client.post(review, {"asked": bad}, follow=True)
        assert "The list of people was not valid" in response.content.decode()
    assert not poll.invitees.exists() and not Message.objects.exists()


# --- Answering from the personal link ---------------------------------------------------------


def test_a_person_answers_and_changes_the_answers_without_an_account(client, draft, make_poll):
    contact = person()
    poll = make_poll(draft, people=[contact])
    invitee = poll.invitees.get()
    url = invitee.get_vote_url()
    response = client.get(url)
    html = response.content.decode()
    assert "Wood &amp; Tourism AlpCafé" in html and "Save my answers" in html
    assert "noindex" in html
    # A personal page: no shared cache keeps it.
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    response = client.post(url, _vote_data(poll, YES, MAYBE, NO))
    assert response.url == url
    html = client.get(url).content.decode()
    assert "your answers are saved" in html.lower()
    assert html.count("checked") == 3
    client.post(url, _vote_data(poll, NO, NO, YES))
    assert sorted(PollAnswer.objects.filter(invitee=invitee).values_list("choice", flat=True)) == [
        NO,
        NO,
        YES,
    ]


def test_a_missing_answer_is_a_clear_error(client, draft, make_poll):
    poll = make_poll(draft, people=[person()])
    url = poll.invitees.get().get_vote_url()
    data = _vote_data(poll, YES, MAYBE, NO)
    data.popitem()
    response = client.post(url, data)
    assert response.status_code == 200 and "Answer for this date." in response.content.decode()
    data[next(iter(data))] = "perhaps"
    response = client.post(url, data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not PollAnswer.objects.exists()


@pytest.mark.parametrize(
    "token",
    ["tampered", "x" * 43, "a" * 64, "é" * 43, "a" * 43 + "%20", "..", "a" * 200],
)
def test_a_tampered_token_is_404_and_changes_nothing(client, draft, make_poll, token):
    poll = make_poll(draft, people=[person()])
    real = poll.invitees.get().token
    forged = real[:-1] + ("A" if real[-1] != "A" else "B")
    for bad in (token, forged):
        url = "/poll/" + bad + "/"
        assert client.get(url).status_code == 404
        assert client.post(url, _vote_data(poll, YES, YES, YES)).status_code == 404
    assert not PollAnswer.objects.exists()


def test_a_link_of_a_closed_poll_says_so_with_410(client, draft, make_poll):
    poll = make_poll(draft, people=[person()])
    url = poll.invitees.get().get_vote_url()
    services.poll_close(poll=poll)
    for response in (client.get(url), client.post(url, _vote_data(poll, YES, YES, YES))):
        assert response.status_code == 410
        assert "This poll is closed" in response.content.decode()
    assert not PollAnswer.objects.exists()


def test_a_link_after_the_closing_time_or_the_choice_is_410_and_shows_the_date(
    client, draft, make_poll
):
    contact = person()
    poll = make_poll(draft, people=[contact])
    url = poll.invitees.get().get_vote_url()
    DatePoll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 410
    DatePoll.objects.filter(pk=poll.pk).update(closes_at=at(7))
    services.poll_decide(poll=poll, option=poll.options.first())
    response = client.get(url)
    assert response.status_code == 410
    html = response.content.decode()
    assert "The date chosen:" in html and draft.get_absolute_url() in html


def test_voters_see_counts_never_who_answered_what(client, draft, make_poll):
    me = person(first_name="Mia", last_name="Muster", email="mia@private.example.net")
    others = [
        person("DE", "Bayern", "München", first_name=f"Other{i}", last_name=f"Voter{i}")
        for i in range(3)
    ]
    poll = make_poll(draft, people=[me, *others])
    for other, choice in zip(others, (YES, YES, MAYBE), strict=True):
        invitee = PollInvitee.objects.get(poll=poll, contact=other)
        services.poll_answer(invitee=invitee, choices={o.pk: choice for o in poll.options.all()})
    html = client.get(PollInvitee.objects.get(contact=me).get_vote_url()).content.decode()
    assert "So far: 2 yes, 1 if need be." in html
    for contact in [me, *others]:
        assert contact.email not in html
        assert contact.last_name not in html and contact.first_name not in html
    assert "4 people are asked" in html


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Save my answers", "If need be", "CET"]),
        ("de", ["Meine Antworten speichern", "Wenn nötig", "MEZ"]),
        ("fr", ["Enregistrer mes réponses", "Si nécessaire", "HNEC"]),
        ("it", ["Salva le mie risposte", "Se necessario", "CET"]),
        ("sl", ["Shranite moje odgovore", "Po potrebi", "CET"]),
    ],
)
def test_the_vote_page_is_in_the_contacts_language(client, draft, make_poll, language, words):
    # Candidates in winter: CET, in the reader's language.
    days = [d for d in range(10, 200) if timezone.localtime(at(d)).dst() == timedelta(0)][:2]
    poll = make_poll(draft, days=days, people=[person(language=language)], closes_in=days[0] - 1)
    response = client.get(poll.invitees.get().get_vote_url())
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in html, word


def test_the_language_chosen_on_the_site_wins(client, draft, make_poll):
    poll = make_poll(draft, people=[person(language="sl")])
    client.get("/language/", {"language": "de", "next": "/"})
    html = client.get(poll.invitees.get().get_vote_url()).content.decode()
    assert '<html lang="de">' in html


def test_the_vote_page_reads_as_few_rows_with_many_people(client, draft, make_poll):
    people = [person() for _ in range(3)]
    poll = make_poll(draft, people=people)
    more = [person() for _ in range(30)]
    services.poll_ask(poll=poll, contacts=more)
    for contact in people + more:
        invitee = PollInvitee.objects.get(poll=poll, contact=contact)
        services.poll_answer(invitee=invitee, choices={o.pk: YES for o in poll.options.all()})
    big_url = PollInvitee.objects.get(contact=people[0]).get_vote_url()
    other = make_poll(AlpCafeFactory(state=AlpCafe.State.DRAFT), people=[person()])
    small_url = other.invitees.get().get_vote_url()
    counts = []
    for url in (small_url, big_url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6


# --- Results and the path to the invitation ---------------------------------------------------


def test_live_results_count_per_candidate_and_country_best_first(
    client, organiser, draft, make_poll
):
    austrians = [person("AT") for _ in range(2)]
    italian = person("IT", "Südtirol", "Bolzano")
    poll = make_poll(draft, days=(20, 21), people=[*austrians, italian])
    first, second = poll.options.all()
    for contact, choices in zip(
        [*austrians, italian], [(NO, YES), (MAYBE, YES), (YES, NO)], strict=True
    ):
        invitee = PollInvitee.objects.get(poll=poll, contact=contact)
        services.poll_answer(invitee=invitee, choices={first.pk: choices[0], second.pk: choices[1]})
    client.force_login(organiser)
    for url in (
        reverse("polls:manage", args=[draft.slug]),
        reverse("polls:results", args=[draft.slug]),
    ):
        html = client.get(url).content.decode()
        assert "3 of 3 people asked have answered." in html
        rows = re.findall(r'<tr data-option="(\d+)"', html)
        assert rows == [str(second.pk), str(first.pk)]  # 2 yes beat 1 yes + 1 if need be
        assert re.search(
            r'data-country="AT"><th scope="row">Austria</th>\s*<td>2 / 0 / 0</td>', html
        )
        assert re.search(r'data-country="IT"><th scope="row">Italy</th>\s*<td>0 / 0 / 1</td>', html)
        assert "Choose this date and invite" in html


def test_from_poll_to_invitation_in_two_clicks(
    client, organiser, draft, make_poll, django_capture_on_commit_callbacks
):
    yes, maybe, no, silent = person(), person(), person(), person()
    poll = make_poll(draft, days=(20, 21), people=[yes, maybe, no, silent])
    for contact, choice in [(yes, YES), (maybe, MAYBE), (no, NO)]:
        invitee = PollInvitee.objects.get(poll=poll, contact=contact)
        services.poll_answer(invitee=invitee, choices={o.pk: choice for o in poll.options.all()})
    chosen = poll.options.last()
    client.force_login(organiser)
    # Click 1: choose the date.
    response = client.post(reverse("polls:choose", args=[draft.slug]), {"option": chosen.pk})
    review = reverse("alpcafes:invite_review", args=[draft.slug])
    assert response.url == f"{review}?poll={poll.pk}"
    draft.refresh_from_db()
    assert draft.state == AlpCafe.State.SCHEDULED and draft.starts_at == chosen.starts_at
    html = client.get(response.url).content.decode()
    assert "Preselected from the date poll" in html
    assert "Send 2 invitations" in html
    # Click 2: send.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            review, {"invitees": re.search(r'name="invitees" value="([^"]+)"', html).group(1)}
        )
    assert response.url == reverse("alpcafes:manage", args=[draft.slug])
    assert set(Participation.objects.values_list("contact", flat=True)) == {yes.pk, maybe.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([yes.email, maybe.email])
    # The poll page now shows the date chosen and leads back to the review.
    html = client.get(reverse("polls:manage", args=[draft.slug])).content.decode()
    assert "A date was chosen:" in html and f"?poll={poll.pk}" in html


def test_the_review_refuses_a_preselection_it_does_not_know(client, organiser, draft, make_poll):
    poll = make_poll(draft, people=[person()])
    client.force_login(organiser)
    review = reverse("alpcafes:invite_review", args=[draft.slug])
    for bad in [str(poll.pk), "abc", "", "-1", "١", str(poll.pk + 100), "9" * 30]:
        assert client.get(review, {"poll": bad}).status_code == 404
    services.poll_decide(poll=poll, option=poll.options.first())
    other = AlpCafeFactory(organisers=[organiser])
    other_review = reverse("alpcafes:invite_review", args=[other.slug])
    assert client.get(other_review, {"poll": poll.pk}).status_code == 404
    assert client.get(review, {"poll": poll.pk}).status_code == 200


def test_choosing_a_bad_option_changes_nothing(client, organiser, draft, make_poll):
    poll = make_poll(draft, people=[person()])
    other = make_poll(AlpCafeFactory(state=AlpCafe.State.DRAFT), days=(30, 31))
    client.force_login(organiser)
    url = reverse("polls:choose", args=[draft.slug])
    for bad in ["", "x", "-1", "99999999", "9" * 30, str(other.options.first().pk)]:
        assert client.post(url, {"option": bad}).status_code == 404
    draft.refresh_from_db()
    poll.refresh_from_db()
    assert draft.is_draft and poll.state == DatePoll.State.OPEN


def test_closing_the_poll_stops_answers(client, organiser, draft, make_poll):
    poll = make_poll(draft, people=[person()])
    client.force_login(organiser)
    response = client.post(reverse("polls:close", args=[draft.slug]), follow=True)
    assert "The poll is closed" in response.content.decode()
    poll.refresh_from_db()
    assert poll.state == DatePoll.State.CLOSED
    html = client.get(reverse("polls:manage", args=[draft.slug])).content.decode()
    assert "Start a new poll" in html and "Choose this date and invite" in html


def test_the_results_page_reads_as_few_rows_with_many_answers(client, organiser, draft, make_poll):
    def answered_poll(alpcafe, n):
        people = [person(c) for c in ("AT", "DE", "IT", "FR", "SI")[:n]] * 1
        people += [person() for _ in range(max(n - 5, 0))]
        poll = make_poll(alpcafe, people=people)
        for invitee in poll.invitees.all():
            services.poll_answer(invitee=invitee, choices={o.pk: YES for o in poll.options.all()})
        return poll

    answered_poll(draft, 2)
    big = AlpCafeFactory(state=AlpCafe.State.DRAFT, organisers=[organiser])
    answered_poll(big, 40)
    client.force_login(organiser)
    counts = []
    for alpcafe in (draft, big):
        url = reverse("polls:manage", args=[alpcafe.slug])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_review_shows_typed_markup_as_text(client, organiser, draft, make_poll):
    """The sample mail is marked safe (it comes from a template) yet holds the title the
    organiser typed: printed as text, never as markup."""
    draft.title = "Poll <script>alert(1)</script> AlpCafé"
    draft.save()
    make_poll(draft)
    person("AT", first_name="Asked")
    client.force_login(organiser)
    html = client.get(
        reverse("polls:review", args=[draft.slug]), {"country": "AT"}
    ).content.decode()
    assert "Send the poll to" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_review_shows_no_working_personal_link(client, organiser, draft, make_poll):
    """The sample is the first person's mail: their preferences link opens their settings and
    data without a log-in, so the organiser sees stand-ins."""
    make_poll(draft)
    person("AT", first_name="Asked")
    client.force_login(organiser)
    html = client.get(
        reverse("polls:review", args=[draft.slug]), {"country": "AT"}
    ).content.decode()
    assert "Send the poll to" in html
    assert "/mail/preferences/" not in html and "/mail/unsubscribe/" not in html
    assert "PREFERENCES-LINK" in html


@pytest.mark.parametrize("bad", [{"country": "ZZ"}, {"sector": "99999"}])
def test_an_invalid_filter_asks_nobody(client, organiser, draft, make_poll, bad):
    make_poll(draft)
    person("AT", first_name="Asked")
    client.force_login(organiser)
    html = client.get(reverse("polls:review", args=[draft.slug]), bad).content.decode()
    assert "Send the poll to" not in html
