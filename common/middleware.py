"""Requests carrying a NUL byte are refused at the door.

PostgreSQL cannot store or compare text with NUL (0x00) characters, so such a value in a path,
a query parameter or a form field can never be valid; refused here, it never reaches a query.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            # A page of the site in the visitor's language, with a way back (the middleware
            # runs after the locale, the user and the messages are known; the user's session is
            # read by its key, never by the refused values).
            reason = _("The request contains a character that is not allowed.")
            return render(request, "400.html", {"reason": reason}, status=400)
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())
