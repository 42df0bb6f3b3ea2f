"""The poll pages under axe-core (from npm) in Chromium, for the organiser and for a person asked:
no serious or critical violation, and no breach of the Content-Security-Policy."""

import pytest
from django.contrib.auth.models import Group

from alpcafes.models import AlpCafe
from alpcafes.tests.factories import AlpCafeFactory
from pages.tests.test_accessibility import AXE, _audit, _csp_violations
from polls import services
from polls.models import PollInvitee
from stakeholders.tests.factories import PASSWORD, UserFactory

from .conftest import at, person
from .test_views import _days_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_serious_accessibility_violation_on_the_poll_pages(browser, live_server):
    assert AXE.exists(), "axe-core is installed by npm (make install)"
    organiser = UserFactory(email="orga@example.org")
    organiser.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    preparing = AlpCafeFactory(state=AlpCafe.State.DRAFT, organisers=[organiser])
    running = AlpCafeFactory(state=AlpCafe.State.DRAFT, organisers=[organiser])
    holiday = _days_until("DE", "BY", "Corpus Christi")
    candidates = [(at(d), at(d, 12)) for d in (holiday, holiday + 1)]
    services.poll_save(alpcafe=preparing, candidates=candidates, closes_at=at(5, 18))
    poll = services.poll_save(alpcafe=running, candidates=candidates, closes_at=at(5, 18))
    people = [person("DE", "Bayern", "München"), person("IT", "Lombardia", "Milano")]
    services.poll_ask(poll=poll, contacts=people)
    first, second = PollInvitee.objects.filter(poll=poll)
    services.poll_answer(invitee=first, choices={o.pk: "yes" for o in poll.options.all()})
    closed = services.poll_save(
        alpcafe=AlpCafeFactory(state=AlpCafe.State.DRAFT),
        candidates=candidates,
        closes_at=at(5, 18),
    )
    services.poll_ask(poll=closed, contacts=[person()])
    services.poll_close(poll=closed)

    # axe-core is injected as an inline script, which the portal's Content-Security-Policy
    # rightly refuses: the audit's browser bypasses the policy; a second browser visits every page
    # again under the policy and fails on any breach it reports.
    violations = []
    for logged_in, urls in (
        (False, [second.get_vote_url(), closed.invitees.get().get_vote_url()]),
        (
            True,
            [f"/alpcafes/{preparing.slug}/poll/{s}" for s in ("", "dates/", "ask/", "review/")]
            + [f"/alpcafes/{running.slug}/poll/{s}" for s in ("", "ask/")],
        ),
    ):
        audited = browser.new_context(base_url=live_server.url, bypass_csp=True)
        enforced = browser.new_context(base_url=live_server.url)
        axe_page, csp_page = audited.new_page(), enforced.new_page()
        if logged_in:
            for page in (axe_page, csp_page):
                page.goto("/accounts/login/")
                page.get_by_label("Email").fill(organiser.email)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign In").click()
                page.wait_for_url("**/")
        for url in urls:
            violations += _audit(axe_page, url)
            violations += _csp_violations(csp_page, url)
        audited.close()
        enforced.close()
    assert violations == []
