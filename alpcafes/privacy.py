"""What the AlpCafés hold about a person, for "download my data"."""

from common import personal_data

from .models import Participation


def alpcafe_data(user, contact) -> dict:
    if contact is None or not contact.pk:
        return {}
    return {
        "participations": [
            {
                "alpcafe": p.alpcafe.title,
                "starts": p.alpcafe.starts_at.isoformat(),
                "status": p.status,
                "waitlist_position": p.waitlist_position,
                "answered": p.responded_at.isoformat() if p.responded_at else None,
                "attended": p.attended_at.isoformat() if p.attended_at else None,
            }
            for p in Participation.objects.filter(contact=contact).select_related("alpcafe")
        ]
    }


personal_data.register("alpcafes", alpcafe_data)
