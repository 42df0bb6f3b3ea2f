"""Writes of the site as a whole: the nightly purge of what is kept no longer than the privacy
notice says (settings.RETENTION, in days)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from outbox.models import Message
from stakeholders.models import JoinRequest, User
from stakeholders.services import account_delete


def retention_purge(*, now=None) -> dict[str, int]:
    """Delete what outlived its retention period: accounts whose address was never confirmed,
    the record of mail sent (or given up on), decided requests to join, old audit entries and
    expired sessions. Returns how many of each went."""
    now = now or timezone.now()
    days = settings.RETENTION
    done: dict[str, int] = {}
    unverified = User.objects.filter(
        date_joined__lt=now - timedelta(days=days["unverified_accounts"]),
        last_login__isnull=True,
        is_staff=False,
    ).exclude(emailaddress__verified=True)
    done["unverified_accounts"] = 0
    for user in unverified.iterator():
        with transaction.atomic():
            account_delete(user=user)
        done["unverified_accounts"] += 1
    done["sent_mail"], _ = (
        Message.objects.exclude(state=Message.State.QUEUED)
        .filter(queued_at__lt=now - timedelta(days=days["sent_mail"]))
        .delete()
    )
    done["decided_join_requests"], _ = (
        JoinRequest.objects.exclude(status=JoinRequest.Status.PENDING)
        .filter(decided_at__lt=now - timedelta(days=days["decided_join_requests"]))
        .delete()
    )
    done["audit_log"], _ = LogEntry.objects.filter(
        action_time__lt=now - timedelta(days=days["audit_log"])
    ).delete()
    done["sessions"], _ = Session.objects.filter(expire_date__lt=now).delete()
    return done
