"""Sign-up that does not tell who is registered.

allauth already answers a taken address like a new one (and mails the owner instead), but it
skips hashing the password then: the answer came ten times faster, and the time told. Here a taken
address costs the same hashing as a new account.
"""

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password


class PortalSignupForm(SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # The work a new account does (its password hash), thrown away.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
