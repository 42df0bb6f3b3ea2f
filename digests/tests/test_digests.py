import datetime as dt

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse

from alpcafes.tests.factories import AlpCafeFactory, ParticipationFactory
from digests import content as digest
from digests import services
from digests.tasks import queue_digests_task
from outbox.models import Message
from stakeholders.models import Contact
from stakeholders.tests.factories import ContactFactory, StakeholderFactory, UserFactory
from stakeholders.unsubscribe import unsubscribe_token

pytestmark = pytest.mark.django_db

WEEK = dt.date(2026, 11, 16)  # a Monday


def _in_week(days=2):
    return digest.as_aware(WEEK) + dt.timedelta(days=days)


@pytest.fixture
def news():
    """A stakeholder published during WEEK."""
    stakeholder = StakeholderFactory(name="Fresh Cluster Srl", city="Trento")
    type(stakeholder).objects.filter(pk=stakeholder.pk).update(created_at=_in_week())
    return stakeholder


def _subscriber(**kwargs):
    return ContactFactory(digest_frequency="weekly", **kwargs)


def _run(frequency="weekly", start=WEEK):
    services.digests_queue(frequency=frequency, period_start=start)


def test_periods_weekly_and_monthly():
    assert digest.period_for("weekly", start=dt.date(2026, 11, 18)) == (WEEK, dt.date(2026, 11, 23))
    assert digest.period_for("monthly", start=dt.date(2026, 2, 10)) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    )
    assert digest.last_complete_period("weekly", today=dt.date(2026, 11, 23))[0] == WEEK
    assert digest.last_complete_period("monthly", today=dt.date(2026, 12, 1)) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
    )


def test_digest_reaches_subscribers_once_and_a_rerun_sends_nothing(
    news, django_capture_on_commit_callbacks
):
    weekly = _subscriber(first_name="Wanda")
    _subscriber(mail_consent_at=None)  # no consent: never queued
    ContactFactory()  # not subscribed
    ContactFactory(digest_frequency="monthly")
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    assert [m.to for m in mail.outbox] == [[weekly.email]]
    message = mail.outbox[0]
    assert message.subject == "[AlpClusters] This week on AlpClusters"
    assert "Hello Wanda," in message.body
    assert "Fresh Cluster Srl" in message.body
    assert f"http://127.0.0.1:8000/stakeholders/{news.slug}/" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/mail/unsubscribe/"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    assert len(mail.outbox) == 1
    assert Message.objects.get(kind="digests.digest").state == Message.State.SENT


def test_nothing_new_sends_no_mail(django_capture_on_commit_callbacks):
    _subscriber()
    AlpCafeFactory()  # upcoming, but scheduled before the period: context, not news
    AlpCafe = type(AlpCafeFactory())
    AlpCafe.objects.update(created_at=digest.as_aware(WEEK) - dt.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    assert mail.outbox == []
    skipped = Message.objects.get(kind="digests.digest")
    assert (
        skipped.state == Message.State.CANCELLED and skipped.reason == "Nothing new in the period."
    )


def test_consent_withdrawn_between_queueing_and_sending_is_honoured(
    news, django_capture_on_commit_callbacks
):
    contact = _subscriber()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _run()
    Contact.objects.filter(pk=contact.pk).update(mail_consent_at=None)
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    skipped = Message.objects.get(kind="digests.digest")
    assert skipped.state == Message.State.CANCELLED and "consent" in skipped.reason


def test_content_in_the_contacts_language(news, django_capture_on_commit_callbacks):
    from django.utils import translation

    _subscriber(language="de")
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    with translation.override("de"):
        expected = translation.gettext("This week on AlpClusters")
    assert expected != "This week on AlpClusters"
    assert mail.outbox[0].subject == f"[AlpClusters] {expected}"


def test_own_registrations_are_listed(news, django_capture_on_commit_callbacks):
    contact = _subscriber()
    alpcafe = AlpCafeFactory(title="My Own AlpCafé")
    ParticipationFactory(alpcafe=alpcafe, contact=contact, status="registered")
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    assert "Your coming AlpCafés" in mail.outbox[0].body
    assert "My Own AlpCafé" in mail.outbox[0].body


def test_a_later_digest_starts_after_the_last_one(news, django_capture_on_commit_callbacks):
    contact = _subscriber()
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    later = StakeholderFactory(name="Even Newer Org")
    type(later).objects.filter(pk=later.pk).update(created_at=_in_week(9))
    with django_capture_on_commit_callbacks(execute=True):
        _run(start=WEEK + dt.timedelta(days=7))
    assert [m.to for m in mail.outbox] == [[contact.email]] * 2
    assert "Even Newer Org" in mail.outbox[1].body
    assert "Fresh Cluster Srl" not in mail.outbox[1].body


def test_unsubscribe_get_confirms_post_unsubscribes_at_once(client):
    contact = _subscriber()
    url = reverse("unsubscribe", args=[unsubscribe_token(contact, "digest")])
    response = client.get(url)
    assert response.status_code == 200 and contact.email in response.content.decode()
    contact.refresh_from_db()
    assert contact.digest_frequency == "weekly"
    assert client.post(url).status_code == 200  # one-click: no CSRF token, no login
    contact.refresh_from_db()
    assert contact.digest_frequency == "never"
    assert contact.accepts_mail  # only the digest stops


def test_unsubscribe_token_tampering_is_404_and_changes_nothing(client):
    contact = _subscriber()
    token = unsubscribe_token(contact, "digest")
    forged = signing.dumps({"c": contact.pk, "w": "digest"}, salt="another-salt", compress=True)
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        assert client.post(reverse("unsubscribe", args=[bad])).status_code == 404
    contact.refresh_from_db()
    assert contact.digest_frequency == "weekly"


def test_unsubscribe_from_all_mail_withdraws_consent(client):
    contact = _subscriber()
    client.post(reverse("unsubscribe", args=[unsubscribe_token(contact, "mail")]))
    contact.refresh_from_db()
    assert not contact.accepts_mail
    assert contact.consent_events.get().source == "unsubscribe link"


def test_send_digests_command_and_beat_task(news, django_capture_on_commit_callbacks, capsys):
    _subscriber()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "--frequency", "weekly", "--period-start", "2026-11-18")
    assert "weekly digests for 2026-11-16 – 2026-11-22: 1 queued." in capsys.readouterr().out
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            queue_digests_task.apply(
                kwargs={"frequency": "weekly", "period_start": "2026-11-16"}
            ).get()
            == 0
        )
    assert len(mail.outbox) == 1


def test_staff_preview_and_send_me_a_test(client, news, django_capture_on_commit_callbacks):
    contact = _subscriber(first_name="Petra")
    staff = UserFactory(is_staff=True, email="staff@example.org")
    url = reverse("digests:preview")
    query = {"email": contact.email, "frequency": "weekly", "period_start": "2026-11-16"}
    assert client.get(url, query).status_code == 302  # not staff: to the admin login
    client.force_login(staff)
    html = client.get(url, query).content.decode()
    assert "Fresh Cluster Srl" in html and "Hello Petra," in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert [m.to for m in mail.outbox] == [["staff@example.org"]]
    assert mail.outbox[0].subject.startswith("[TEST] ")
    assert "Hello Petra," in mail.outbox[0].body
    assert not Message.objects.filter(kind="digests.digest").exists()


def test_blog_news_and_opened_proposals_are_in_the_digest(django_capture_on_commit_callbacks):
    from blog.models import PolicyProposal, Post
    from blog.tests.factories import PostFactory

    _subscriber()
    post = PostFactory(title="Hydrogen valleys in the Alps")
    idea = PostFactory(title="A joint apprenticeship pool", kind=Post.Kind.IDEA)
    Post.objects.filter(pk__in=[post.pk, idea.pk]).update(published_at=_in_week())
    proposal = PolicyProposal.objects.create(
        title="Cross-border training fund",
        slug="training-fund",
        level=PolicyProposal.Level.TRANSNATIONAL,
        problem="Skills shortage.",
        joint_action="A fund.",
        status=PolicyProposal.Status.OPEN,
        opened_at=_in_week(3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    body = mail.outbox[0].body
    assert "Hydrogen valleys in the Alps" in body
    assert "A joint apprenticeship pool" in body
    assert proposal.title in body and f"/proposals/{proposal.slug}/" in body
