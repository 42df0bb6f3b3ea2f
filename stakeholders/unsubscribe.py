"""Signed links in every mail a contact gets: one-click unsubscribe (RFC 8058) for bulk mail, and
the contact's mail preferences.

The signed token is the credential: the link works without logging in, only for that contact,
and only for what it names ("digest": stop the digest; "mail": withdraw the consent to receive
invitations and messages; the preferences link: consents, digest frequency and language).
"""

from functools import cache

from django.conf import settings
from django.core import signing
from django.urls import reverse

from common.parsing import parse_id

from .models import Contact

SALT = "alpclusters.unsubscribe"
PREFERENCES_SALT = "alpclusters.preferences"
KINDS = ("digest", "mail")


# Tokens are "<contact id>.<what>:<signature>": no timestamp, so a contact's link is the same in
# every mail and works as long as the contact exists (RFC 8058 asks unsubscribe links to keep
# working), and cheap to sign for each of 50,000 digests.


def unsubscribe_token(contact: Contact, what: str) -> str:
    return signing.Signer(salt=SALT).sign(f"{contact.pk}.{what}")


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Raises signing.BadSignature for a tampered or foreign token."""
    contact_id, _dot, what = signing.Signer(salt=SALT).unsign(token).partition(".")
    if what not in KINDS or parse_id(contact_id) is None:
        raise signing.BadSignature("Malformed unsubscribe token")
    return parse_id(contact_id), what


@cache
def _path(name: str) -> str:
    # Resolved once: a bulk mail asks for two links per recipient.
    return reverse(name, args=["TOKEN"])


def unsubscribe_url(contact: Contact, what: str) -> str:
    return settings.SITE_URL + _path("unsubscribe").replace(
        "TOKEN", unsubscribe_token(contact, what)
    )


def preferences_token(contact: Contact) -> str:
    return signing.Signer(salt=PREFERENCES_SALT).sign(str(contact.pk))


def read_preferences_token(token: str) -> int:
    """The contact's id; raises signing.BadSignature for a tampered or foreign token."""
    contact_id = parse_id(signing.Signer(salt=PREFERENCES_SALT).unsign(token))
    if contact_id is None:
        raise signing.BadSignature("Malformed preferences token")
    return contact_id


def preferences_url(contact: Contact) -> str:
    return settings.SITE_URL + _path("mail_preferences").replace(
        "TOKEN", preferences_token(contact)
    )
