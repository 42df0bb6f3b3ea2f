"""Kinds of message: how each one is written. The app that owns a kind defines and registers it.

A kind renders ``<template>_subject.txt``, ``<template>_body.txt`` and, if it exists,
``<template>_body.html`` with the context it builds from the message (usually from the object the
message is about), in the recipient's language. What differs from one recipient to the next — the
greeting's name, a personal link — comes from ``personal()``: messages of one kind with the same
``group_key()`` are rendered once and filled in per recipient (see ``outbox.composer``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Message

_KINDS: dict[str, MailKind] = {}


class MailKind:
    """One kind of message. Subclass it, set the class attributes, and ``register()`` it."""

    #: Stored on the message: "<app>.<kind>".
    name: ClassVar[str]
    label: ClassVar[str]
    #: Template prefix, e.g. "alpcafes/email/invitation".
    template: ClassVar[str] = ""
    #: Bulk mail needs the recipient's consent to receive mail, checked when it is sent, and
    #: carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058).
    bulk: ClassVar[bool] = False
    #: What its one-click unsubscribe link stops: "mail" (all bulk mail) or "digest".
    unsubscribe: ClassVar[str] = "mail"
    #: The message's data holds secrets (a password-reset link): erased once it is sent.
    erase_data_when_sent: ClassVar[bool] = False

    # --- reading the batch ---------------------------------------------------------------------

    def about_queryset(self, model):
        """The queryset the objects messages are about are fetched with (select_related here)."""
        return model._default_manager.all()

    def prepare(self, messages: list[Message]) -> None:
        """Fetch what a batch of this kind's messages needs, in as few queries as possible."""
        typed = [m for m in messages if m.about_type_id]
        if typed:
            models = {m.about_type.model_class() for m in typed}
            prefetch_related_objects(
                typed,
                GenericPrefetch("about", [self.about_queryset(model) for model in models if model]),
            )

    def skip_reason(self, message: Message) -> str:
        """Why this message must not go out (it is then marked "not sent"), or ""."""
        if message.contact_id is None and not message.address:
            return str(_("The recipient no longer exists."))
        if not message.recipient_address:
            return str(_("The recipient has no e-mail address."))
        if message.about_type_id and message.about is None:
            return str(_("What the message was about no longer exists."))
        if self.bulk and message.contact_id and not message.contact.accepts_mail:
            return str(_("The recipient does not accept mail (consent withdrawn)."))
        return ""

    # --- writing one message -------------------------------------------------------------------

    def context(self, message: Message) -> dict:
        """The template context that is the same for every message of its group."""
        return {"about": message.about, "data": message.data}

    def personal(self, message: Message) -> dict[str, str]:
        """Values that differ from one recipient to the next; templates use them by name.

        Each is plain text; a value that is already HTML for the HTML part is given as a pair
        ``(text, SafeString html)``.
        """
        contact = message.contact
        values = {"name": contact.greeting_name if contact else ""}
        if contact is not None:
            values["preferences_url"] = contact.preferences_url()
            if self.bulk:
                values["unsubscribe_url"] = contact.unsubscribe_url(self.unsubscribe)
        return values

    def group_key(self, message: Message):
        """Messages with the same key (and language) differ only in ``personal()``; None means
        the message is rendered on its own."""
        return None

    def attachments(self, message: Message) -> list[tuple[str, bytes, str]]:
        """(filename, content, MIME type) of each attachment; the same within a group."""
        return []

    def reply_to(self, message: Message) -> list[str]:
        return []

    def render_parts(self, message: Message, context: dict) -> tuple[str, str, str] | None:
        """(subject, text, html) written otherwise than from the templates, or None."""
        return None

    def __repr__(self):
        return f"<MailKind {self.name}>"


class StoredMail(MailKind):
    """A message written when it was queued (subject, text and HTML in its data), for mail that
    another library renders (allauth) or a copy made for staff. Erased once sent."""

    erase_data_when_sent = True

    def skip_reason(self, message):
        if not message.data.get("subject"):
            return str(_("The message was erased before it was sent."))
        return ""

    def personal(self, message):
        return {}

    def render_parts(self, message, context):
        data = message.data
        return data["subject"], data["text"], data.get("html", "")


def stored_data(email) -> dict:
    """The data of a StoredMail from an EmailMessage (its text and HTML parts)."""
    html = next(
        (c for c, mimetype in getattr(email, "alternatives", []) if mimetype == "text/html"), ""
    )
    return {"subject": email.subject, "text": email.body, "html": html}


def register(kind_class: type[MailKind]) -> type[MailKind]:
    """Class decorator: make a kind known to the outbox (at import of the owning app's module)."""
    _KINDS[kind_class.name] = kind_class()
    return kind_class


def get_kind(name: str) -> MailKind | None:
    return _KINDS.get(name)


def all_kinds() -> list[MailKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.name)


def absolute(path: str) -> str:
    """An address of the portal for mail: SITE_URL (the portal's own, never the request's host)
    in front of a path."""
    return settings.SITE_URL + path
