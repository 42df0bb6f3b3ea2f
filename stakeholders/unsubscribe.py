"""One-click unsubscribe links (RFC 8058) for every bulk mail sent to a contact.

The signed token is the credential: the link works without logging in, only for that contact,
and only for what it names ("digest": stop the digest; "mail": withdraw the consent to receive
invitations and messages).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Contact

SALT = "alpclusters.unsubscribe"
KINDS = ("digest", "mail")


def unsubscribe_token(contact: Contact, what: str) -> str:
    return signing.dumps({"c": contact.pk, "w": what}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Raises signing.BadSignature for a tampered or foreign token."""
    data = signing.loads(token, salt=SALT)
    if data.get("w") not in KINDS or not isinstance(data.get("c"), int):
        raise signing.BadSignature("Malformed unsubscribe token")
    return data["c"], data["w"]


def unsubscribe_url(contact: Contact, what: str) -> str:
    return settings.SITE_URL + reverse("unsubscribe", args=[unsubscribe_token(contact, what)])


def list_unsubscribe_headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
