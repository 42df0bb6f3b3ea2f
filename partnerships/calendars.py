"""A participant's agenda of 1:1 meetings as iCalendar (RFC 5545): one event per meeting, named
after the other person and their organisation, at the AlpCafé's venue with the table number.
Personal: served only to the participant and mailed to them, never public."""

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from .models import Attendee, MeetingRequest

PRODID = "-//AlpClusters//Meetings//EN"


def other_side(meeting: MeetingRequest, attendee: Attendee) -> Attendee:
    return meeting.invitee if meeting.requester_id == attendee.pk else meeting.requester


def agenda_ics(attendee: Attendee, meetings: list[MeetingRequest]) -> bytes:
    alpcafe = attendee.matchmaking.alpcafe
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("My meetings at %(title)s") % {"title": alpcafe.title})
    for meeting in meetings:
        other = other_side(meeting, attendee).participation.contact
        organisation = other.stakeholder.name if other.stakeholder else ""
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@alpclusters")
        event.add("dtstamp", meeting.decided_at or meeting.created_at)
        event.add("dtstart", meeting.slot.starts_at)
        event.add("dtend", meeting.slot.ends_at)
        event.add(
            "summary",
            _("Meeting with %(name)s (%(organisation)s)")
            % {"name": other.full_name, "organisation": organisation},
        )
        place = ", ".join(p for p in [alpcafe.venue, alpcafe.city] if p)
        table = _("table %(number)d") % {"number": meeting.table}
        event["location"] = vText(f"{place} · {table}" if place else table)
        event.add("url", settings.SITE_URL + alpcafe.get_absolute_url())
        calendar.add_component(event)
    return calendar.to_ical()
