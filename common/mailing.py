"""Rendering of multipart mail (text + HTML) in the recipient's language, with absolute links."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def render_mail(
    template_prefix: str,
    context: dict,
    *,
    to: list[str],
    language: str = "en",
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    """Render ``<prefix>_subject.txt``, ``<prefix>_body.txt`` and, if present, ``_body.html``."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        text = render_to_string(f"{template_prefix}_body.txt", context)
        try:
            html = render_to_string(f"{template_prefix}_body.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(
        subject=f"[AlpClusters] {subject}",
        body=text,
        to=to,
        reply_to=reply_to,
        headers=headers,
        connection=connection,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message
