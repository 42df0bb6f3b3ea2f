"""Date polls in the admin: to read, with the one write (closing) through the service."""

import pytest
from django.urls import reverse

from polls.models import DatePoll
from stakeholders.tests.factories import UserFactory

from .conftest import person

pytestmark = pytest.mark.django_db


def test_staff_read_polls_and_close_them(client, draft, make_poll):
    poll = make_poll(draft, people=[person(), person()])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:polls_datepoll_changelist")).content.decode()
    assert "Wood &amp; Tourism AlpCafé" in html
    html = client.get(reverse("admin:polls_datepoll_change", args=[poll.pk])).content.decode()
    assert "People asked" in html
    # Personal links are credentials: not shown.
    for token in poll.invitees.values_list("token", flat=True):
        assert token not in html
    assert client.get(reverse("admin:polls_datepoll_add")).status_code == 403
    response = client.post(
        reverse("admin:polls_datepoll_changelist"),
        {"action": "close", "_selected_action": [poll.pk]},
        follow=True,
    )
    assert "1 poll closed." in response.content.decode()
    poll.refresh_from_db()
    assert poll.state == DatePoll.State.CLOSED
