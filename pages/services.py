"""Writes of the site as a whole: the nightly purge of what is kept no longer than the privacy
notice says (settings.RETENTION, in days)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from alpcafes.models import Participation
from outbox.models import Message
from stakeholders.models import JoinRequest, User
from stakeholders.services import account_delete


def retention_purge(*, now=None) -> dict[str, int]:
    """Delete what outlived its retention period: accounts whose address was never confirmed,
    the record of mail sent (or given up on), decided requests to join, old audit entries,
    expired sessions and the invitation links of AlpCafés long over. Returns how many of each
    went."""
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
    done["invitation_links"] = _retire_invitation_links(
        ended_before=now - timedelta(days=days["invitation_links"])
    )
    return done


RETIRED = "retired:"


def _retire_invitation_links(*, ended_before) -> int:
    """The link in an invitation (Participation.token) is a credential until its AlpCafé ends,
    then answers "this AlpCafé is over"; some weeks later it is replaced by a random value
    nobody holds, so an old mail opens nothing."""
    expired = Participation.objects.filter(alpcafe__ends_at__lt=ended_before).exclude(
        token__startswith=RETIRED
    )
    count = 0
    batch = []
    for participation in expired.only("pk").iterator(chunk_size=500):
        participation.token = RETIRED + secrets.token_urlsafe(24)
        batch.append(participation)
        if len(batch) == 500:
            count += len(batch)
            Participation.objects.bulk_update(batch, ["token"])
            batch = []
    Participation.objects.bulk_update(batch, ["token"])
    return count + len(batch)
