from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from . import services


@receiver(email_confirmed)
def claim_contact_on_verified_email(request, email_address, **kwargs):
    """A member who verifies an address that a partner mapped takes over that Contact."""
    user = email_address.user
    if user.email.lower() == email_address.email.lower():
        services.contact_for_user(user=user)
