"""The language of a page reached from a link in a mail."""

from django.conf import settings
from django.utils import translation


def language_for_link(request, language: str) -> str:
    """Pages opened from a mail (RSVP, unsubscribe, preferences) speak the language the mail was
    in, unless the visitor chose a language on the site (the language cookie)."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return translation.get_language()
    request.LANGUAGE_CODE = language
    return language
