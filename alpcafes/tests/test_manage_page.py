"""The organisers' manage page: its figures in one query, the guest list kept for every organiser
until the data or the state of an invitation changes, and an outcomes form that never loses what
was typed."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from alpcafes import services
from alpcafes.models import Participation
from alpcafes.tests.factories import AlpCafeFactory
from common.fragments import store
from outbox.models import Message
from stakeholders.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _manage(client, alpcafe) -> str:
    response = client.get(reverse("alpcafes:manage", args=[alpcafe.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _tokenless(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _row(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</tr>", start)]


def test_the_guest_list_follows_the_invitations_and_registrations(
    client, organiser, django_capture_on_commit_callbacks
):
    alpcafe = AlpCafeFactory(organisers=[organiser])
    ada = ContactFactory(first_name="Ada", last_name="Invited")
    with django_capture_on_commit_callbacks(execute=False):  # the worker does not send yet
        services.invitations_create(alpcafe=alpcafe, contacts=[ada])
    client.force_login(organiser)
    assert ">queued<" in _row(_manage(client, alpcafe), "Ada Invited")
    # The outbox sends it: no data version changes, the invitation's state does.
    Message.objects.filter(contact=ada).update(state=Message.State.SENT, sent_at=timezone.now())
    assert ">sent<" in _row(_manage(client, alpcafe), "Ada Invited")
    # Ada registers (a data change): her status moves.
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_register(alpcafe=alpcafe, contact=ada)
    html = _manage(client, alpcafe)
    assert ">Registered<" in _row(html, "Ada Invited")
    assert 'id="count-registered">1<' in html


def test_figures_in_one_query_and_the_guest_list_kept(
    client, organiser, add_participants, django_assert_num_queries
):
    for n in (3, 30):
        alpcafe = AlpCafeFactory(organisers=[organiser], capacity=40)
        add_participants(alpcafe, n)
        add_participants(alpcafe, 2, status=Participation.Status.WAITLISTED)
        client.force_login(organiser)
        _manage(client, alpcafe)
        # The member with their groups, the figures (the AlpCafé and the list are kept).
        with django_assert_num_queries(2):
            html = _manage(client, alpcafe)
        assert f'id="count-registered">{n}<' in html and html.count("<tr>") == n + 2 + 1
        assert f">{40 - n}</div>" in html  # seats left
        store.clear()
        # Rendered again: and the AlpCafé, the guest list.
        with django_assert_num_queries(4):
            assert _tokenless(html) == _tokenless(_manage(client, alpcafe))


def test_outcomes_refused_are_shown_again_with_what_was_typed(client, organiser, monkeypatch):
    """A refused outcomes form comes back with what was typed (it was answered "405 method not
    allowed" before: the POST went through the manage page's GET-only view)."""
    from django import forms

    from alpcafes.forms import OutcomesForm

    def refuse(form):
        raise forms.ValidationError("Please say more.")

    monkeypatch.setattr(OutcomesForm, "clean", refuse)
    alpcafe = AlpCafeFactory(organisers=[organiser])
    client.force_login(organiser)
    response = client.post(
        reverse("alpcafes:outcomes", args=[alpcafe.slug]),
        {"outcomes_summary": "A good evening", "needs_heard": "Skills", "expectations_heard": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The outcomes could not be saved." in html and "Please say more." in html
    assert "A good evening" in html
    alpcafe.refresh_from_db()
    assert alpcafe.outcomes_summary == ""
    # The page as every organiser sees it shows the outcomes as saved, not what was typed.
    monkeypatch.undo()
    assert "A good evening" not in _manage(client, alpcafe)


def test_the_check_in_page_counts_in_one_query(
    client, organiser, add_participants, django_assert_num_queries
):
    """Who came of those registered, on the day: the manage page's figures (one query)."""
    from datetime import timedelta

    for n in (3, 30):
        alpcafe = AlpCafeFactory(
            organisers=[organiser],
            capacity=40,
            starts_at=timezone.now() - timedelta(minutes=30),
            ends_at=timezone.now() + timedelta(hours=2),
        )
        add_participants(alpcafe, n, attended=True)
        add_participants(alpcafe, 2)
        client.force_login(organiser)
        url = reverse("alpcafes:check_in", args=[alpcafe.slug])
        client.get(url)
        # The member, the AlpCafé, whether they organise it, the figures, the list of guests.
        with django_assert_num_queries(5):
            html = client.get(url).content.decode()
        assert f"{n} of {n + 2} checked in" in html
