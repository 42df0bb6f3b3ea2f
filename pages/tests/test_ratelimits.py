"""Abuse limits (common/ratelimits.py): every limited action, per member and per address, with a
clear message; beyond the limit nothing changes and what the member typed is kept; a moderator
lifts the limits for a member they trust."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from blog.models import Comment, Endorsement, Post, Report, Support
from blog.tests.factories import IdeaFactory, PostFactory, ProposalFactory
from stakeholders.models import ContactMessage, JoinRequest, Stakeholder
from stakeholders.services import contact_for_user
from stakeholders.tests.factories import ContactFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 2


@pytest.fixture(autouse=True)
def tight_limits(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, f"{LIMIT}/h")
    settings.RATE_LIMIT_ADDRESS_FACTOR = 5


def _in_organisation(user):
    contact = contact_for_user(user=user)
    contact.stakeholder = StakeholderFactory()
    contact.save()


# Each case: (prepare the member, give the n-th request's URL and data, count what it creates,
# the text the member typed — kept in the form when refused — or None for a button).
def _comment(user, n):
    post = PostFactory()
    return reverse("blog:comment", args=[post.slug]), {"body": f"Comment number {n}"}


def _post(user, n):
    data = {"kind": "idea", "title": f"Idea from the tests {n}", "body_markdown": f"Text {n}"}
    return reverse("blog:create"), {**data, "action": "submit"}


def _report(user, n):
    post = PostFactory()
    return reverse("blog:report", args=[post.slug]), {"reason": f"Spam, reason {n}"}


def _support(user, n):
    return reverse("blog:support", args=[IdeaFactory().slug]), {}


def _endorse(user, n):
    if n == 0:
        _in_organisation(user)
    return reverse("blog:endorse", args=[ProposalFactory().slug]), {}


def _register_organisation(user, n):
    return reverse("stakeholders:register"), {
        "name": f"Unique Organisation Zyx{n}",
        "kind": "sme",
        "country": "AT",
        "city": f"Town{n}",
        "role": "CEO",
    }


def _join_request(user, n):
    return reverse("stakeholders:join", args=[StakeholderFactory().slug]), {"message": "Hi"}


def _relay(user, n):
    stakeholder = StakeholderFactory()
    ContactFactory(stakeholder=stakeholder)
    url = reverse("stakeholders:contact", args=[stakeholder.slug])
    return url, {"subject": "Cooperation", "body": f"Message number {n}"}


def _poll_answer(user, n):
    from alpcafes.models import AlpCafe
    from alpcafes.tests.factories import AlpCafeFactory
    from polls import services as poll_services
    from polls.tests.conftest import at

    organiser = UserFactory()
    draft = AlpCafeFactory(state=AlpCafe.State.DRAFT, starts_at=at(90), ends_at=at(90, 13))
    poll = poll_services.poll_save(
        alpcafe=draft,
        candidates=[(at(20), at(20, 12)), (at(21), at(21, 12))],
        closes_at=at(7, 18),
        created_by=organiser,
    )
    poll_services.poll_ask(poll=poll, contacts=[ContactFactory()])
    invitee = poll.invitees.get()
    return invitee.get_vote_url(), {f"option_{option.pk}": "yes" for option in poll.options.all()}


CASES = {
    "comment": (_comment, lambda: Comment.objects.count(), "Comment number"),
    "post": (_post, lambda: Post.objects.count(), "Idea from the tests"),
    "report": (_report, lambda: Report.objects.count(), "Spam, reason"),
    "support": (_support, lambda: Support.objects.count(), None),
    "endorse": (_endorse, lambda: Endorsement.objects.count(), None),
    "register_organisation": (
        _register_organisation,
        lambda: Stakeholder.objects.filter(name__startswith="Unique Organisation").count(),
        "Unique Organisation Zyx",
    ),
    "join_request": (_join_request, lambda: JoinRequest.objects.count(), None),
    "relay": (_relay, lambda: ContactMessage.objects.count(), "Message number"),
    "poll_answer": (_poll_answer, lambda: _poll_answers(), None),
}


def _poll_answers():
    from polls.models import PollAnswer

    return PollAnswer.objects.count()


def _assert_works(response):
    assert response.status_code in (200, 302), response.status_code
    assert "A little too fast" not in response.content.decode()


@pytest.mark.parametrize("action", sorted(CASES))
def test_beyond_the_limit_a_member_is_told_clearly_and_nothing_changes(client, action):
    prepare, count, typed = CASES[action]
    member = UserFactory()
    client.force_login(member)
    for n in range(LIMIT):
        url, data = prepare(member, n)
        _assert_works(client.post(url, data))
    before = count()
    assert before >= 1  # the requests within the limit did their work
    url, data = prepare(member, LIMIT)
    response = client.post(url, data)
    assert response.status_code == 429
    html = response.content.decode()
    assert "several times in a short time" in html
    assert count() == before
    if typed:
        assert f"{typed}" in html  # the member's text is in the form again, not lost


@pytest.mark.parametrize("action", sorted(CASES))
def test_the_limits_count_per_member(client, action):
    """Another member (from the same address, within its wider limit) is not held back."""
    prepare, _count, _typed = CASES[action]
    first = UserFactory()
    client.force_login(first)
    for n in range(LIMIT):
        client.post(*prepare(first, n))
    second = UserFactory()
    client.force_login(second)
    _assert_works(client.post(*prepare(second, 10)))


def test_the_limits_count_per_address_too(client, settings):
    """Many accounts from one address: the address's limit (RATE_LIMIT_ADDRESS_FACTOR times a
    member's) holds them back together."""
    settings.RATE_LIMIT_ADDRESS_FACTOR = 2
    for n in range(LIMIT * 2):
        client.force_login(UserFactory())
        _assert_works(client.post(*_comment(None, n)))
    client.force_login(UserFactory())
    response = client.post(*_comment(None, 99))
    assert response.status_code == 429
    assert Comment.objects.count() == LIMIT * 2
    other_address = client.post(*_comment(None, 100), REMOTE_ADDR="192.0.2.7")
    _assert_works(other_address)


@pytest.mark.parametrize("action", sorted(CASES))
def test_a_trusted_member_has_no_limits(client, action):
    prepare, _count, _typed = CASES[action]
    member = UserFactory(rate_limit_exempt=True)
    client.force_login(member)
    for n in range(LIMIT + 2):
        _assert_works(client.post(*prepare(member, n)))


def test_the_button_refusal_leads_back_to_the_page(client):
    member = UserFactory()
    client.force_login(member)
    for n in range(LIMIT):
        client.post(*_support(member, n))
    idea = IdeaFactory()
    response = client.post(
        reverse("blog:support", args=[idea.slug]),
        HTTP_REFERER=f"http://testserver{idea.get_absolute_url()}",
    )
    assert response.status_code == 429
    assert f'href="http://testserver{idea.get_absolute_url()}"' in response.content.decode()
    elsewhere = client.post(
        reverse("blog:support", args=[idea.slug]), HTTP_REFERER="https://evil.example/"
    )
    assert "evil.example" not in elsewhere.content.decode()


def test_a_moderator_trusts_a_member_and_it_is_audited(client):
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    member = UserFactory(first_name="Ana", last_name="Kovač", email="ana@cluster.example")
    client.force_login(moderator)
    page = client.get(reverse("stakeholders:members"), {"q": "kova"})
    assert page.status_code == 200 and "Ana Kovač" in page.content.decode()
    response = client.post(
        reverse("stakeholders:member_trust", args=[member.pk]), {"action": "trust", "q": "kova"}
    )
    assert response.status_code == 302 and "q=kova" in response.url
    member.refresh_from_db()
    assert member.rate_limit_exempt
    entry = LogEntry.objects.get(object_id=str(member.pk))
    assert entry.user == moderator and "lifted" in entry.change_message
    trusted = client.get(reverse("stakeholders:members")).content.decode()
    assert "Ana Kovač" in trusted and "Restore the limits" in trusted
    client.post(reverse("stakeholders:member_trust", args=[member.pk]), {"action": "restore"})
    member.refresh_from_db()
    assert not member.rate_limit_exempt


@pytest.mark.parametrize("role", ["visitor", "member"])
def test_only_moderators_trust_members(client, role):
    member = UserFactory()
    if role == "member":
        client.force_login(UserFactory())
    response = client.post(
        reverse("stakeholders:member_trust", args=[member.pk]), {"action": "trust"}
    )
    assert response.status_code in (302, 403)
    if role == "member":
        assert response.status_code == 403
    member.refresh_from_db()
    assert not member.rate_limit_exempt
    assert client.get(reverse("stakeholders:members")).status_code in (302, 403)
