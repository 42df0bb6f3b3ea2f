"""Bulk mail serialised once and filled in per recipient.

Building a MIME message with Python's email package costs more than sending it. When many
recipients get the same message except for a few values (a name, a personal link, the address),
the message is serialised once with ASCII placeholders, and each recipient's copy is those bytes
with the placeholders replaced, sent over the SMTP backend's own connection.

A template is used only if every placeholder survived serialisation exactly as often as expected,
in parts sent as 8bit (no base64 or quoted-printable that could split or hide a placeholder);
otherwise the caller builds each message the ordinary way. Values are inserted with CRLF line
ends; the recipient address must be ASCII.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid

TO = "alpwire0to@example.invalid"
MESSAGE_ID = "ALPWIRE0MESSAGEID"


def placeholder(name: str) -> str:
    return f"ALPWIRE0{name.upper()}"


@dataclass(frozen=True)
class WireTemplate:
    sender: str
    data: bytes

    @classmethod
    def build(cls, message: EmailMessage, expected: dict[str, int]) -> WireTemplate | None:
        """``message`` addressed to ``TO``, its values replaced by ``placeholder(name)``;
        ``expected`` says how often each placeholder must appear in the serialised bytes."""
        message.to = [TO]
        message.extra_headers["Message-ID"] = f"<{MESSAGE_ID}>"
        data = message.message().as_bytes(linesep="\r\n")
        text_parts = data.count(b"Content-Type: text/plain") + data.count(
            b"Content-Type: text/html"
        )
        if data.count(b"Content-Transfer-Encoding: 8bit") < text_parts:
            return None
        wanted = {placeholder(name): count for name, count in expected.items()}
        wanted[TO] = 1
        wanted[MESSAGE_ID] = 1
        for token, count in wanted.items():
            if data.count(token.encode()) != count:
                return None
        return cls(sender=message.from_email, data=data)

    def fill(self, *, to: str, values: dict[str, str]) -> bytes | None:
        """The recipient's copy, or None when it must be built the ordinary way."""
        if not to.isascii():
            return None
        data = self.data.replace(TO.encode(), to.encode()).replace(
            MESSAGE_ID.encode(), make_msgid(domain="alpclusters").strip("<>").encode()
        )
        for name, value in values.items():
            data = data.replace(placeholder(name).encode(), _crlf(value))
        return data


def _crlf(value: str) -> bytes:
    return "\r\n".join(value.replace("\r\n", "\n").replace("\r", "\n").split("\n")).encode()
