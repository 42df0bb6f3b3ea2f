"""Every kind of mail the apps register, written the fast way and the ordinary way: the same
message, in every language, as Python's email package reads it."""

import email
import email.policy

import pytest
from django.core import mail
from django.utils import translation

from outbox.composer import Wire, Writer, full_email
from outbox.kinds import all_kinds, get_kind
from outbox.models import Message
from outbox.services import messages_send

from .builders import BUILDERS, LANGUAGES, build

pytestmark = pytest.mark.django_db

HEADERS = [
    "Subject",
    "From",
    "To",
    "Reply-To",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "X-AlpClusters-Kind",
    "MIME-Version",
]
#: Kinds sent to many people at once: the fast path must be taken for them.
BULK_FAST = {"alpcafes.invitation", "digests.digest", "stakeholders.relay", "alpcafes.reminder"}


def _read(data: bytes) -> tuple:
    message = email.message_from_bytes(data, policy=email.policy.default)
    html = message.get_body(("html",))
    return (
        # Folding whitespace aside: a long header is folded when serialised whole.
        {name: " ".join(str(message[name]).split()) if message[name] else None for name in HEADERS},
        message.get_content_type(),
        message.get_body(("plain",)).get_content(),
        html.get_content() if html is not None else None,
        [
            (a.get_filename(), a.get_content_type(), a.get_content())
            for a in message.iter_attachments()
        ],
    )


def _as_bytes(written) -> bytes:
    if isinstance(written, Wire):
        return written.data
    return written.message().as_bytes(linesep="\r\n")


def test_every_kind_has_a_builder():
    assert sorted(k.name for k in all_kinds()) == sorted(BUILDERS)


@pytest.mark.parametrize("kind_name", sorted(BUILDERS))
def test_fast_path_writes_the_same_message_as_the_email_package_in_every_language(kind_name):
    messages = build(kind_name, 10)
    assert len(messages) >= 10, f"the builder made {len(messages)} {kind_name} messages"
    kind = get_kind(kind_name)
    kind.prepare(messages)
    writer = Writer(raw_smtp=True)
    by_language = {}
    for message in messages:
        by_language.setdefault(message.recipient_language, []).append(message)
    assert set(by_language) == set(LANGUAGES)
    fast_taken = 0
    for language, group in by_language.items():
        for message in group:
            written = writer.write(kind, message)
            fast_taken += isinstance(written, Wire)
            reference = full_email(kind, message).message().as_bytes(linesep="\r\n")
            assert _read(_as_bytes(written)) == _read(reference), (kind_name, language)
    if kind_name in BULK_FAST:
        assert fast_taken >= len(messages) - len(by_language) * 2, "the fast path was not taken"


@pytest.mark.parametrize("kind_name", sorted(BUILDERS))
def test_every_kind_goes_out_in_its_recipients_language(kind_name):
    messages = build(kind_name, 5)
    counts = messages_send(message_ids=[m.pk for m in messages])
    assert counts["sent"] == len(messages), (
        counts,
        Message.objects.filter(pk__in=[m.pk for m in messages]).values_list("state", "reason"),
    )
    sent = {
        m.to[0]: m for m in mail.outbox if m.extra_headers.get("X-AlpClusters-Kind") == kind_name
    }
    assert len(sent) == len(messages)
    for message in Message.objects.filter(pk__in=[m.pk for m in messages]).select_related(
        "contact"
    ):
        assert message.state == Message.State.SENT and message.subject
        body = sent[message.recipient_address].body
        if kind_name in ("stakeholders.account", "digests.test"):
            continue  # written in advance by someone else, in their language
        with translation.override(message.recipient_language):
            footer = translation.gettext("Your mail preferences:")
        assert footer in body, (kind_name, message.recipient_language)
