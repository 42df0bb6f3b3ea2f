"""What partnerships hold about a person, for "download my data": the opportunities they wrote
and the expressions of interest they sent (never what others sent to their organisation)."""

from common import personal_data

from .models import ExpressionOfInterest, Opportunity


def partnership_data(user, contact) -> dict:
    if user is None or not getattr(user, "pk", None):
        return {}
    return {
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
