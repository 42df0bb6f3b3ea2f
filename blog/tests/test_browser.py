"""From an idea to an endorsed proposal, through the pages, in a real Chromium against a live
server: a member writes an idea → a moderator approves it → another member supports and comments
on it → a moderator builds a proposal from it → a member endorses it for their organisation."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from blog.models import Endorsement, PolicyProposal, Post, Support
from stakeholders.models import MODERATORS_GROUP
from stakeholders.services import contact_for_user
from stakeholders.tests.factories import PASSWORD, SectorFactory, StakeholderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


def _new_page(page, live_server):
    return page.context.browser.new_context(base_url=live_server.url, locale="en-GB").new_page()


def test_idea_to_endorsed_proposal(page, live_server):
    marta = UserFactory(email="marta@example.org", first_name="Marta", last_name="Moser")
    luca = UserFactory(email="luca@example.org", first_name="Luca", last_name="Lanz")
    mira = UserFactory(email="mira@example.org", first_name="Mira", last_name="Mlakar")
    mira.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    contact = contact_for_user(user=luca)
    contact.stakeholder = StakeholderFactory(name="Holzcluster Tirol", country="AT")
    contact.save()
    SectorFactory(name="Wood & Timber", slug="wood-timber")

    # Marta shares an idea; it waits for a moderator.
    _log_in(page, marta.email)
    page.goto("/blog/")
    page.get_by_role("link", name="Share an idea").click()
    page.get_by_label("Title*", exact=True).fill("An Alpine timber label")
    page.get_by_label("Text*", exact=True).fill("Let us **label** timber from the Alps.")
    page.get_by_label("Wood & Timber").check()
    page.get_by_label("Tags").fill("timber, label")
    page.get_by_role("button", name="Send for review").click()
    page.get_by_text("A moderator will read your post").wait_for()
    idea = Post.objects.get()
    assert idea.kind == "idea" and idea.state == "pending"

    # Mira approves it from the moderation queue; Marta is mailed.
    moderator = _new_page(page, live_server)
    _log_in(moderator, mira.email)
    moderator.goto("/blog/")
    moderator.get_by_role("link", name="Moderation").click()
    moderator.get_by_text("1 post waits for approval").wait_for()
    moderator.get_by_role("button", name="Approve and publish").click()
    moderator.get_by_text("“An Alpine timber label” is published.").wait_for()
    assert Post.objects.get().state == "published"
    assert [m.to for m in mail.outbox] == [[marta.email]]

    # Luca supports it and comments.
    other = _new_page(page, live_server)
    _log_in(other, luca.email)
    other.goto("/blog/ideas/")
    other.get_by_role("link", name="An Alpine timber label").click()
    other.get_by_role("button", name="Support this idea").click()
    assert other.locator("#support-count").inner_text() == "1 member supports this idea"
    other.get_by_label("Comment*", exact=True).fill("Yes! See https://example.org/label")
    other.get_by_role("button", name="Comment", exact=True).click()
    other.get_by_text("Your comment is online.").wait_for()
    assert other.get_by_role("link", name="https://example.org/label").get_attribute("rel") == (
        "nofollow noopener ugc"
    )
    assert Support.objects.filter(user=luca).count() == 1

    # Mira builds a proposal from it and opens it for endorsement.
    moderator.goto(idea.get_absolute_url())
    moderator.get_by_role("link", name="Build a proposal from this idea").click()
    assert moderator.get_by_label("An Alpine timber label (1 supports)").is_checked()
    moderator.get_by_label("Title*", exact=True).fill("A label for Alpine timber")
    moderator.get_by_label("The problem*", exact=True).fill("Alpine timber is not recognised.")
    moderator.get_by_label("The proposed joint action*", exact=True).fill("A joint label.")
    moderator.get_by_label("Level*", exact=True).select_option("transnational")
    moderator.get_by_role("button", name="Save the proposal").click()
    moderator.get_by_text("The proposal is saved as a draft.").wait_for()
    moderator.get_by_role("button", name="Open for endorsement").click()
    moderator.get_by_text("The proposal is now: Open for endorsement.").wait_for()
    proposal = PolicyProposal.objects.get()
    assert proposal.status == "open" and list(proposal.ideas.all()) == [idea]

    # Luca endorses it on behalf of his organisation.
    other.goto("/proposals/")
    other.get_by_role("link", name="A label for Alpine timber").click()
    assert other.get_by_role("link", name="An Alpine timber label").is_visible()
    other.get_by_role("button", name="Endorse on behalf of Holzcluster Tirol").click()
    other.get_by_text("Holzcluster Tirol endorses this proposal. Thank you!").wait_for()
    assert other.locator("#endorsement-list").inner_text() == "Holzcluster Tirol (Austria)"
    assert Endorsement.objects.get().stakeholder.name == "Holzcluster Tirol"

    # Back on the idea, everyone sees where it went.
    page.goto(idea.get_absolute_url())
    assert page.get_by_text("Taken into a proposal").first.is_visible()
    assert page.get_by_role("link", name="A label for Alpine timber").is_visible()
    for extra in (moderator, other):
        extra.context.close()
