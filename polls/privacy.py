"""What date polls hold about a person, for "download my data": the polls they were asked in and
their own answers (never anyone else's)."""

from common import personal_data

from .models import PollInvitee


def poll_data(user, contact) -> dict:
    if contact is None or not contact.pk:
        return {}
    invitees = (
        PollInvitee.objects.filter(contact=contact)
        .select_related("poll__alpcafe")
        .prefetch_related("answers__option")
        .order_by("created_at", "pk")
    )
    return {
        "polls": [
            {
                "alpcafe": invitee.poll.alpcafe.title,
                "asked": invitee.created_at.isoformat(),
                "answered": invitee.answered_at.isoformat() if invitee.answered_at else None,
                "answers": [
                    {
                        "starts": answer.option.starts_at.isoformat(),
                        "ends": answer.option.ends_at.isoformat(),
                        "answer": answer.choice,
                    }
                    for answer in sorted(invitee.answers.all(), key=lambda a: a.option.starts_at)
                ],
            }
            for invitee in invitees
        ]
    }


personal_data.register("date_polls", poll_data)
