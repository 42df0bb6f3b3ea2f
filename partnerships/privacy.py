"""What partnerships hold about a person, for "download my data": the opportunities they wrote
the expressions of interest they sent (never what others sent to their organisation), and their
part in 1:1 meetings at AlpCafés (when and at which table; the other person is not named)."""

from common import personal_data

from . import services
from .models import Attendee, ExpressionOfInterest, Opportunity


def partnership_data(user, contact) -> dict:
    meetings = []
    if contact is not None and contact.pk:
        for attendee in Attendee.objects.filter(participation__contact=contact).select_related(
            "matchmaking__alpcafe"
        ):
            for meeting in services.agenda_of(attendee):
                meetings.append(
                    {
                        "alpcafe": attendee.matchmaking.alpcafe.title,
                        "starts": meeting.slot.starts_at.isoformat(),
                        "table": meeting.table,
                    }
                )
    if user is None or not getattr(user, "pk", None):
        return {"meetings": meetings} if meetings else {}
    return {
        "meetings": meetings,
        "opportunities": [
            {
                "title": o.title,
                "organisation": o.stakeholder.name,
                "type": o.type,
                "category": o.category,
                "summary": o.summary,
                "state": o.state,
                "created": o.created_at.isoformat(),
            }
            for o in Opportunity.objects.filter(created_by=user).select_related("stakeholder")
        ],
        "expressions_of_interest": [
            {
                "opportunity": i.opportunity.title,
                "message": i.message,
                "status": i.status,
                "sent": i.created_at.isoformat(),
            }
            for i in ExpressionOfInterest.objects.filter(sender=user).select_related("opportunity")
        ],
    }


personal_data.register("partnerships", partnership_data)
