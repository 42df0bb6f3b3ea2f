"""Writing messages: templates → a multipart e-mail in the recipient's language, and the fast path
for bulk mail.

Building a MIME message with Python's email package costs more than sending it. Messages of one
kind and group differ only in a few personal values (a name, a personal link), so a group is
rendered once with placeholders in their place and each recipient's copy is made by replacing
them: in the rendered strings (then serialised as usual), or, over a real SMTP connection, in the
serialised bytes themselves. The first message of every group is also rendered in full and
compared; if the two differ (a template read more of the recipient than ``personal()`` gives), the
group falls back to rendering each message in full.

The one placeholder scheme: ``ALPWIRE0<NAME>T`` in the text parts and headers, ``ALPWIRE0<NAME>H``
in the HTML part (ASCII letters and digits only, which no escaping or encoding changes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.html import conditional_escape

from .kinds import MailKind
from .models import Message

SUBJECT_PREFIX = "[AlpClusters] "
TO = "alpwire0to@example.invalid"
MESSAGE_ID = "ALPWIRE0MESSAGEID"
# A filled-in line longer than this could make the serialiser pick another transfer encoding.
_MAX_VALUE_LINE = 400


def token(name: str, part: str) -> str:
    """The placeholder of personal value ``name`` in the text ("T") or HTML ("H") part."""
    return f"ALPWIRE0{name.upper().replace('_', '')}{part}"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str = ""


def unsubscribe_headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def render(kind: MailKind, message: Message, text_values: dict, html_values: dict) -> Rendered:
    """The message's subject and parts in its recipient's language."""
    base = {"site_url": settings.SITE_URL, **kind.context(message)}
    with translation.override(message.recipient_language):
        own = kind.render_parts(message, {**base, **text_values})
        if own is not None:
            subject, text, html = own
            return Rendered(subject, text, html)
        subject = render_text(f"{kind.template}_subject.txt", {**base, **text_values})
        text = render_text(f"{kind.template}_body.txt", {**base, **text_values})
        try:
            html = render_to_string(f"{kind.template}_body.html", {**base, **html_values})
        except TemplateDoesNotExist:
            html = ""
    return Rendered(SUBJECT_PREFIX + " ".join(subject.split()), text, html)


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping: "R&D" stays "R&D" in a subject."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def _split(values: dict) -> tuple[dict, dict]:
    """Personal values as (text values, HTML values)."""
    text, html = {}, {}
    for name, value in values.items():
        if isinstance(value, tuple):
            text[name], html[name] = value
        else:
            text[name], html[name] = value, conditional_escape(value)
    return text, html


def email_for(
    kind: MailKind, message: Message, rendered: Rendered, *, to: str, unsubscribe_url: str = ""
) -> EmailMultiAlternatives:
    # The kind names itself, for filters at the receiving end and for bounces.
    headers = {"X-AlpClusters-Kind": kind.name}
    if kind.bulk and unsubscribe_url:
        headers.update(unsubscribe_headers(unsubscribe_url))
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        to=[to],
        reply_to=kind.reply_to(message) or None,
        headers=headers,
    )
    if rendered.html:
        email.attach_alternative(rendered.html, "text/html")
    for filename, content, mimetype in kind.attachments(message):
        email.attach(filename, content, mimetype)
    return email


def full_email(
    kind: MailKind, message: Message, *, stand_ins: bool = False
) -> EmailMultiAlternatives:
    """The message rendered on its own, the ordinary way (also the reference for the fast path).

    ``stand_ins`` for a preview shown to someone else (an organiser, staff): every personal link
    (unsubscribe, preferences, RSVP, vote…) is replaced by a word that names it, since the real
    ones open the recipient's settings and data without a log-in."""
    values = kind.personal(message)
    if stand_ins:
        values = {key: _stand_in(key, value) for key, value in values.items()}
    text_values, html_values = _split(values)
    rendered = render(kind, message, text_values, html_values)
    return email_for(
        kind,
        message,
        rendered,
        to=message.recipient_address,
        unsubscribe_url=text_values.get("unsubscribe_url", ""),
    )


def _stand_in(key: str, value):
    if not key.endswith("_url"):
        return value
    word = key.removesuffix("_url").upper().replace("_", "-") + "-LINK"
    return (word, word) if isinstance(value, tuple) else word


def _content(email: EmailMultiAlternatives) -> tuple:
    return (
        email.subject,
        email.body,
        email.alternatives,
        email.attachments,
        email.to,
        email.reply_to,
        email.from_email,
        email.extra_headers,
    )


@dataclass(frozen=True)
class Wire:
    """A message as bytes for smtplib, with what is stamped on its row."""

    sender: str
    data: bytes
    subject: str


@dataclass
class _Group:
    """Messages of one kind, group and language: rendered once with placeholders."""

    shared: Rendered | None = None
    names: tuple[str, ...] = ()
    wire: bytes | None = None
    sender: str = ""
    wire_tried: bool = False


@dataclass
class Writer:
    """Writes a batch's messages: each one either an EmailMessage or a Wire (bytes to hand to
    smtplib as they are)."""

    raw_smtp: bool = False
    groups: dict = field(default_factory=dict)

    def write(self, kind: MailKind, message: Message):
        """The message as an EmailMessage, or a Wire for smtplib."""
        group_key = kind.group_key(message)
        if group_key is None:
            return full_email(kind, message)
        values = kind.personal(message)
        # A template may treat an empty value differently ({% if name %}): emptiness is part of
        # the group.
        key = (
            kind.name,
            group_key,
            message.recipient_language,
            tuple(
                sorted(
                    (name, bool(v[0] if isinstance(v, tuple) else v)) for name, v in values.items()
                )
            ),
        )
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = self._new_group(kind, message, values)
            return full_email(kind, message)
        if group.shared is None:
            return full_email(kind, message)
        text_values, html_values = _split(values)
        if self.raw_smtp:
            data = self._wire_bytes(kind, message, group, text_values, html_values)
            if data is not None:
                return Wire(group.sender, data, group.shared.subject)
        return self._filled_email(kind, message, group, text_values, html_values)

    def _new_group(self, kind: MailKind, message: Message, values: dict) -> _Group:
        names = tuple(sorted(values))
        shared = render(
            kind,
            message,
            {name: token(name, "T") for name in names},
            {name: token(name, "H") for name in names},
        )
        group = _Group(shared=shared, names=names)
        if any(token(name, part) in shared.subject for name in names for part in "TH"):
            group.shared = None  # a personal subject: nothing to share
            return group
        text_values, html_values = _split(values)
        filled = self._filled_email(kind, message, group, text_values, html_values)
        if _content(filled) != _content(full_email(kind, message)):
            group.shared = None
        return group

    @staticmethod
    def _fill(template: str, group: _Group, values: dict, part: str) -> str:
        for name in group.names:
            template = template.replace(token(name, part), str(values[name]))
        return template

    def _filled_email(self, kind, message, group, text_values, html_values):
        shared = group.shared
        rendered = Rendered(
            shared.subject,
            self._fill(shared.text, group, text_values, "T"),
            self._fill(shared.html, group, html_values, "H"),
        )
        return email_for(
            kind,
            message,
            rendered,
            to=message.recipient_address,
            unsubscribe_url=text_values.get("unsubscribe_url", ""),
        )

    def _wire_bytes(self, kind, message, group, text_values, html_values) -> bytes | None:
        if not group.wire_tried:
            group.wire_tried = True
            group.sender, group.wire = _wire_template(kind, message, group)
        to = message.recipient_address
        if group.wire is None or not to.isascii():
            return None
        data = group.wire.replace(TO.encode(), to.encode()).replace(
            MESSAGE_ID.encode(), make_msgid(domain="alpclusters").strip("<>").encode()
        )
        for name in group.names:
            for part, values in (("T", text_values), ("H", html_values)):
                value = _crlf(str(values[name]))
                if value is None:
                    return None
                data = data.replace(token(name, part).encode(), value)
        return data


def _wire_template(kind: MailKind, message: Message, group: _Group) -> tuple[str, bytes | None]:
    """The group's message serialised once, with placeholders; None when a placeholder did not
    survive serialisation exactly as often as it was written (then each copy is serialised)."""
    shared = group.shared
    unsubscribe = token("unsubscribe_url", "T") if "unsubscribe_url" in group.names else ""
    email = email_for(kind, message, shared, to=TO, unsubscribe_url=unsubscribe)
    email.extra_headers["Message-ID"] = f"<{MESSAGE_ID}>"
    data = email.message().as_bytes(linesep="\r\n")
    text_parts = data.count(b"Content-Type: text/plain") + data.count(b"Content-Type: text/html")
    if data.count(b"Content-Transfer-Encoding: 8bit") < text_parts:
        return email.from_email, None
    expected = {TO: 1, MESSAGE_ID: 1}
    for name in group.names:
        headers = 1 if unsubscribe and name == "unsubscribe_url" else 0
        expected[token(name, "T")] = shared.text.count(token(name, "T")) + headers
        expected[token(name, "H")] = shared.html.count(token(name, "H"))
    for placeholder, count in expected.items():
        if data.count(placeholder.encode()) != count:
            return email.from_email, None
    return email.from_email, data


def _crlf(value: str) -> bytes | None:
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if any(len(line) > _MAX_VALUE_LINE for line in lines):
        return None
    return "\r\n".join(lines).encode()
