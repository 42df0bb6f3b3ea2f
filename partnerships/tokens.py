"""The one-click renewal link of an opportunity: signed, naming the expiry date it renews (so it
renews once), valid until a month after that date."""

from __future__ import annotations

from datetime import date, timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .models import Opportunity

SALT = "partnerships.renew"
GRACE = timedelta(days=30)


def renewal_token(opportunity: Opportunity) -> str:
    return signing.dumps([opportunity.pk, opportunity.expires_on.isoformat()], salt=SALT)


def renewal_url(opportunity: Opportunity) -> str:
    return reverse("partnerships:renew", kwargs={"token": renewal_token(opportunity)})


def read_renewal_token(token: str) -> tuple[int, date] | None:
    """(opportunity id, the expiry date it renews), or None for a forged or outdated link."""
    try:
        pk, expires = signing.loads(token, salt=SALT)
        expires_on = date.fromisoformat(expires)
        pk = int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if timezone.localdate() > expires_on + GRACE:
        return None
    return pk, expires_on
