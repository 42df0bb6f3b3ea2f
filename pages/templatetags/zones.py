"""``{{ moment|zone }}``: the time zone's abbreviation at that moment in the reader's language
(MEZ in German in winter, CEST in English in summer), for the zone that is active (inside
``{% timezone "Europe/Rome" %}``, the AlpCafés' zone)."""

from django import template
from django.utils import timezone

from common.zones import zone_abbreviation

register = template.Library()


@register.filter
def zone(value):
    if not value:
        return ""
    return zone_abbreviation(timezone.localtime(value))[0]
