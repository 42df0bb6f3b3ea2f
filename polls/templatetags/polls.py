"""Candidate dates as their reader reads them: in their language and time zone, with the zone's
abbreviation that is right for the date (CET or CEST)."""

from django import template

from ..calendars import Place, moment_text, when_html, when_text

register = template.Library()


@register.simple_tag
def candidate(option, zone=None):
    """``<time>`` and ``<abbr>`` for HTML pages and mail."""
    return when_html(option.starts_at, option.ends_at, zone)


@register.simple_tag
def candidate_text(option, zone=None):
    """Plain text, for the text part of mail."""
    return when_text(option.starts_at, option.ends_at, zone)


@register.simple_tag
def country_name(code):
    """A country's name in the active language ("Unknown" for none)."""
    return Place(code or "").label


@register.filter
def get_country(by_country, code):
    """One country's counts from a result's ``by_country``."""
    return by_country.get(code, {})


@register.filter
def moment(value, zone=None):
    """A moment (when the poll closes) in the reader's language and time zone, as plain text:
    ``{{ poll.closes_at|moment:zone }}``."""
    return moment_text(value, zone)
