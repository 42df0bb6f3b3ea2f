"""What the registry holds about a person, for "download my data"; the erasure is in services."""

from __future__ import annotations

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from common import personal_data
from outbox.models import Message

from .models import Contact, ContactMessage, JoinRequest, User


def _iso(value):
    return value.isoformat() if value else None


def registry_data(user: User | None, contact: Contact | None) -> dict:
    data: dict = {}
    if user is not None:
        data["account"] = {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in user.emailaddress_set.all()
            ],
            "organisations_registered": [
                {"name": s.name, "state": s.state, "registered": _iso(s.created_at)}
                for s in user.submitted_stakeholders.all()
            ],
            "messages_relayed": [
                {
                    "to": m.stakeholder.name,
                    "subject": m.subject,
                    "body": m.body,
                    "sent": _iso(m.created_at),
                }
                for m in ContactMessage.objects.filter(sender=user).select_related("stakeholder")
            ],
            "requests_to_join": [
                {
                    "organisation": r.stakeholder.name,
                    "status": r.status,
                    "asked": _iso(r.created_at),
                }
                for r in JoinRequest.objects.filter(user=user).select_related("stakeholder")
            ],
        }
    if contact is not None and contact.pk:
        data["contact"] = {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "email": contact.email,
            "phone": contact.phone,
            "role": contact.role,
            "organisation": contact.stakeholder.name if contact.stakeholder else None,
            "language": contact.language,
            "listed_since": _iso(contact.listing_consent_at),
            "mail_accepted_since": _iso(contact.mail_consent_at),
            "digest": contact.digest_frequency,
            "consent_history": [
                {"consent": e.kind, "granted": e.granted, "source": e.source, "at": _iso(e.at)}
                for e in contact.consent_events.all()
            ],
        }
        data["mail_sent_to_you"] = [
            {"kind": m.kind_label, "subject": m.subject, "state": m.state, "sent": _iso(m.sent_at)}
            for m in Message.objects.filter(contact=contact).order_by("queued_at")
        ]
    return data


personal_data.register("registry", registry_data)


def export_zip(*, user: User | None, contact: Contact | None) -> bytes:
    """Everything the portal holds about the person: data.json and the files they uploaded."""
    document = {
        "exported": timezone.now().isoformat(),
        "portal": "AlpClusters",
        **personal_data.collect(user=user, contact=contact),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for name, file in personal_data.uploaded_files(user):
            with file.open("rb") as handle:
                archive.writestr(f"uploads/{name}", handle.read())
    return buffer.getvalue()
