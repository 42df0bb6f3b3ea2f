"""Signed links in every mail a contact gets: one-click unsubscribe (RFC 8058) for bulk mail, and
the contact's mail preferences.

The signed token is the credential: the link works without logging in, only for that contact,
and only for what it names ("digest": stop the digest; "mail": withdraw the consent to receive
invitations and messages; the preferences link: consents, digest frequency and language).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Contact

SALT = "alpclusters.unsubscribe"
PREFERENCES_SALT = "alpclusters.preferences"
KINDS = ("digest", "mail")


def _dumps(data: dict, salt: str) -> str:
    # No timestamp: a contact's link is the same in every mail and works as long as the contact
    # exists (RFC 8058 asks unsubscribe links to keep working).
    return signing.Signer(salt=salt).sign_object(data, compress=True)


def _loads(token: str, salt: str):
    try:
        return signing.Signer(salt=salt).unsign_object(token)
    except signing.BadSignature:
        # Links in mail sent before the change carried a timestamp.
        return signing.loads(token, salt=salt)


def unsubscribe_token(contact: Contact, what: str) -> str:
    return _dumps({"c": contact.pk, "w": what}, SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Raises signing.BadSignature for a tampered or foreign token."""
    data = _loads(token, SALT)
    if not isinstance(data, dict):
        raise signing.BadSignature("Malformed unsubscribe token")
    if data.get("w") not in KINDS or not isinstance(data.get("c"), int):
        raise signing.BadSignature("Malformed unsubscribe token")
    return data["c"], data["w"]


def unsubscribe_url(contact: Contact, what: str) -> str:
    return settings.SITE_URL + reverse("unsubscribe", args=[unsubscribe_token(contact, what)])


def preferences_token(contact: Contact) -> str:
    return _dumps({"c": contact.pk}, PREFERENCES_SALT)


def read_preferences_token(token: str) -> int:
    """The contact's id; raises signing.BadSignature for a tampered or foreign token."""
    data = _loads(token, PREFERENCES_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        raise signing.BadSignature("Malformed preferences token")
    return data["c"]


def preferences_url(contact: Contact) -> str:
    return settings.SITE_URL + reverse("mail_preferences", args=[preferences_token(contact)])
