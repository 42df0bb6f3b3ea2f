"""Limits on how often a member (and an address) may do something: comments, posts, reports,
supports, endorsements, registrations of organisations, messages to organisations, requests to
join, expressions of interest, poll answers. One helper, counted in the shared cache with
django-ratelimit, the rates in settings.RATE_LIMITS. A moderator can lift the limits for a member
they trust (User.rate_limit_exempt)."""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited


def limited(request, action: str) -> bool:
    """Whether this request goes beyond the limits of ``action``: per member (or address, for a
    visitor) and, more widely, per address (several members may share an office's)."""
    user = request.user
    if user.is_authenticated and getattr(user, "rate_limit_exempt", False):
        return False
    rate = settings.RATE_LIMITS[action]
    count, period = rate.split("/")
    by_member = is_ratelimited(
        request, group=f"alp:{action}", key="user_or_ip", rate=rate, increment=True
    )
    address_rate = f"{int(count) * settings.RATE_LIMIT_ADDRESS_FACTOR}/{period}"
    by_address = is_ratelimited(
        request, group=f"alp:{action}:address", key="ip", rate=address_rate, increment=True
    )
    return by_member or by_address


TOO_FAST = _(
    "You have done this several times in a short time. To keep the portal free of spam, please "
    "wait a few minutes and try again; what you wrote is still here."
)


def refused(request, action: str, form) -> bool:
    """For a view with a form: whether this POST goes beyond the limits. If so, the form gets a
    clear message and keeps what the member typed; the view renders it again (status 429)."""
    if limited(request, action):
        form.add_error(None, TOO_FAST)
        return True
    return False


def rate_limited(action: str):
    """View decorator for a button (support, endorse, join…): a POST beyond the limits gets a
    clear page (429) with a way back, and changes nothing."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if request.method == "POST" and limited(request, action):
                back = request.META.get("HTTP_REFERER", "")
                if not url_has_allowed_host_and_scheme(
                    back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    back = ""
                return render(request, "429.html", {"back": back}, status=429)
            return view(request, *args, **kwargs)

        return checked

    return decorator
