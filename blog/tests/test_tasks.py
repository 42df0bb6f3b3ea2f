"""The blog's mail through a real Celery worker on Redis and a real SMTP server, and without a
broker (the request succeeds and the web process sends the mail itself)."""

import pytest
from django.core import mail
from django.urls import reverse

from blog.models import Report

from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.worker
def test_decision_mail_is_delivered_by_a_real_worker(
    client, moderator, member, celery_worker, smtp_server
):
    post = PostFactory(author=member, title="Timber label", state="pending", published_at=None)
    client.force_login(moderator)
    response = client.post(reverse("blog:moderate_post", args=[post.pk]), {"decision": "approve"})
    assert response.status_code == 302
    (message,) = smtp_server.wait_for(1, timeout=30)
    assert message["To"] == member.email
    assert message["Subject"] == '[AlpClusters] Your post "Timber label" is published'
    assert "/blog/timber-label/" in message.get_body(("plain",)).get_content()
    assert message.get_body(("html",)) is not None


def test_broker_down_the_reporter_is_still_told(client, moderator, member, broker_down):
    comment = CommentFactory(body="Off topic")
    report = Report.objects.create(reporter=member, comment=comment, reason="Off topic")
    client.force_login(moderator)
    response = client.post(
        reverse("blog:moderate_report", args=[report.pk]), {"decision": "dismiss"}
    )
    assert response.status_code == 302
    assert mail.outbox == []  # waiting in the outbox, not lost

    broker_down.restore()
    from datetime import timedelta

    from django.utils import timezone

    from outbox.services import outbox_sweep

    assert outbox_sweep(now=timezone.now() + timedelta(minutes=10)) == 1
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "decided to keep it" in message.body
