from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from .mail import send_after_commit


class AccountAdapter(DefaultAccountAdapter):
    """allauth with its mail handed to a Celery worker instead of sent inside the request."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        send_after_commit(self.render_mail(template_prefix, email, ctx))
