"""iCalendar (RFC 5545) for AlpCafés, written with the icalendar package."""

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event, vText

from .models import AlpCafe

PRODID = "-//AlpClusters//AlpCafés//EN"


def _location(alpcafe: AlpCafe, *, private: bool) -> str:
    parts = [alpcafe.venue, alpcafe.address, alpcafe.city]
    place = ", ".join(p for p in parts if p)
    if private and alpcafe.format != AlpCafe.Format.IN_PERSON and alpcafe.online_url:
        place = f"{place} / {alpcafe.online_url}" if place else alpcafe.online_url
    return place


def alpcafe_event(alpcafe: AlpCafe, *, private: bool = False) -> Event:
    """The AlpCafé as a VEVENT. ``private`` adds the online meeting link: only for calendars
    mailed to people with a seat, never for a public feed or download."""
    event = Event()
    event.add("uid", f"alpcafe-{alpcafe.pk}@alpclusters")
    # Calendars apply an update of the same UID only when its SEQUENCE is higher.
    event.add("sequence", alpcafe.sequence)
    event.add("summary", alpcafe.title)
    event.add("dtstart", alpcafe.starts_at)
    event.add("dtend", alpcafe.ends_at)
    event.add("dtstamp", alpcafe.updated_at or alpcafe.created_at)
    event.add("last-modified", alpcafe.updated_at or alpcafe.created_at)
    event.add("url", settings.SITE_URL + alpcafe.get_absolute_url())
    description = "\n\n".join(p for p in [alpcafe.theme, alpcafe.description, alpcafe.agenda] if p)
    if description:
        event.add("description", description)
    location = _location(alpcafe, private=private)
    if location:
        event["location"] = vText(location)
    if alpcafe.has_location:
        event.add("geo", (float(alpcafe.latitude), float(alpcafe.longitude)))
    event.add(
        "status",
        {
            AlpCafe.State.CANCELLED: "CANCELLED",
            AlpCafe.State.DRAFT: "TENTATIVE",
        }.get(alpcafe.state, "CONFIRMED"),
    )
    return event


def calendar_bytes(
    alpcafes: Iterable[AlpCafe], *, name: str = "AlpCafés", private: bool = False
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for alpcafe in alpcafes:
        calendar.add_component(alpcafe_event(alpcafe, private=private))
    return calendar.to_ical()
