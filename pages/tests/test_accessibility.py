"""An accessibility audit by a tool nobody here wrote: axe-core (installed from npm) runs in
Chromium over the pages every role uses, on the demo data. No serious or critical violation.

The same pages are visited once more under the real Content-Security-Policy (axe itself is
injected with the policy bypassed): no page may break the policy — no inline script or style
attribute the browser refuses, no asset from elsewhere."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR, "node_modules/axe-core/axe.min.js")
PUBLIC = [
    "/",
    "/about/",
    "/stakeholders/",
    "/stakeholders/map/",
    "/alpcafes/",
    "/blog/",
    "/blog/ideas/",
    "/proposals/",
    "/partnerships/",
    "/partnerships/demo-timber-facades/",
    "/accounts/login/",
    "/accounts/signup/",
]
MEMBER = [
    "/accounts/profile/",
    "/alpcafes/mine/",
    "/stakeholders/register/",
    "/stakeholders/join-requests/",
    "/partnerships/mine/",
    "/partnerships/new/",
    "/partnerships/meetings/alpcafe-demo-upcoming-2/",
    "/partnerships/meetings/alpcafe-demo-upcoming-2/agenda/",
]
ORGANISER = [
    "/alpcafes/new/",
    "/partnerships/meetings/alpcafe-demo-upcoming-2/setup/",
    "/partnerships/meetings/alpcafe-demo-upcoming-2/grid/",
]
MODERATOR = ["/stakeholders/moderation/", "/blog/moderation/", "/partnerships/moderation/"]


def _audit(page, url) -> list[dict]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact,
                        targets: v.nodes.map(n => n.target.join(' '))}))"""
    )
    return [{"url": url, **violation} for violation in found]


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("alpine-demo-2014")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


def _csp_violations(page, url) -> list[dict]:
    messages = []
    listener = lambda message: messages.append(message.text)  # noqa: E731
    page.on("console", listener)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("console", listener)
    return [{"url": url, "csp": text} for text in messages if "Content Security Policy" in text]


def test_no_serious_accessibility_violation_nor_csp_breach_for_any_role(browser, live_server):
    from alpcafes.models import AlpCafe
    from blog.models import Post
    from stakeholders.models import Stakeholder

    assert AXE.exists(), "axe-core is installed by npm (make install)"
    call_command("seed_demo", verbosity=0)
    stakeholder = Stakeholder.objects.published().exclude(latitude=None).first()
    upcoming = AlpCafe.objects.upcoming().exclude(latitude=None).first()
    post = Post.objects.published().first()
    details = [stakeholder.get_absolute_url(), upcoming.get_absolute_url(), post.get_absolute_url()]
    plan = [
        (None, PUBLIC + details),
        ("member@example.org", MEMBER + details),
        (
            "organiser@example.org",
            ORGANISER
            + [
                upcoming.get_absolute_url() + suffix
                for suffix in ("manage/", "edit/", "invite/", "check-in/", "mail/")
            ],
        ),
        ("moderator@example.org", MODERATOR),
        ("admin@example.org", ["/admin/", "/admin/outbox/message/", "/staff/digest/"]),
    ]
    violations = []
    for email, urls in plan:
        audited = browser.new_context(base_url=live_server.url, bypass_csp=True)
        enforced = browser.new_context(base_url=live_server.url)
        axe_page, csp_page = audited.new_page(), enforced.new_page()
        if email:
            _log_in(axe_page, email)
            _log_in(csp_page, email)
        for url in urls:
            violations += _audit(axe_page, url)
            violations += _csp_violations(csp_page, url)
        audited.close()
        enforced.close()
    assert violations == []
