from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.utils import translation

from outbox.kinds import stored_data
from outbox.services import message_queue

from .mail import AccountMail
from .models import Contact


class PortalSite:
    """What account mail calls the site: the portal's name and public address, whatever host name
    the request came in on."""

    name = "AlpClusters"

    @property
    def domain(self) -> str:
        return urlsplit(settings.SITE_URL).netloc


class AccountAdapter(DefaultAccountAdapter):
    """allauth with its mail written into the outbox: a worker sends it after the commit, and a
    broker that is down delays it without losing it."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": PortalSite()}
        ctx.update(context)
        data = stored_data(self.render_mail(template_prefix, email, ctx))
        language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        contact = Contact.objects.filter(email__iexact=email).first()
        message_queue(
            kind=AccountMail,
            contact=contact,
            address="" if contact else email,
            language=language,
            data=data,
        )
