"""Who may do what with partnership opportunities: written once, used by views, templates and
services.

A member linked to an organisation (their contact belongs to it) publishes opportunities for it
and answers the interest they receive; a member of another organisation expresses interest;
moderators review; everyone reads what is published and open.
"""

from __future__ import annotations

from stakeholders.models import Stakeholder
from stakeholders.permissions import _organisation_id, belongs_to, is_moderator

from .models import ExpressionOfInterest, Opportunity


def organisation_id(user) -> int | None:
    """The id of the member's organisation (cached on the user), or None."""
    return _organisation_id(user) if user.is_authenticated else None


def can_publish(user) -> bool:
    """Members linked to an organisation publish opportunities for it."""
    return organisation_id(user) is not None


def can_publish_for(user, stakeholder: Stakeholder) -> bool:
    return stakeholder.is_published and belongs_to(user, stakeholder)


def is_owner(user, opportunity: Opportunity) -> bool:
    """The members of the opportunity's organisation."""
    return user.is_authenticated and organisation_id(user) == opportunity.stakeholder_id


def can_moderate(user) -> bool:
    return is_moderator(user)


def can_view(user, opportunity: Opportunity) -> bool:
    """Published opportunities (open or expired) are public; the others are seen by their own
    organisation's members and by moderators."""
    if opportunity.is_published:
        return True
    return is_owner(user, opportunity) or can_moderate(user)


def can_edit(user, opportunity: Opportunity) -> bool:
    return opportunity.can_be_edited and (is_owner(user, opportunity) or can_moderate(user))


def can_close(user, opportunity: Opportunity) -> bool:
    return opportunity.can_be_closed and (is_owner(user, opportunity) or can_moderate(user))


def can_express_interest(user, opportunity: Opportunity) -> bool:
    """A member of another organisation, while the opportunity is open."""
    org = organisation_id(user)
    return opportunity.is_open and org is not None and org != opportunity.stakeholder_id


def can_decide_interest(user, interest: ExpressionOfInterest) -> bool:
    return interest.is_pending and is_owner(user, interest.opportunity)


# --- 1:1 meetings at AlpCafés -------------------------------------------------------------------


def can_run_matchmaking(user, alpcafe) -> bool:
    """The AlpCafé's own organisers turn matchmaking on, set slots and tables, see the grid."""
    from alpcafes import permissions as alpcafe_permissions

    return alpcafe_permissions.can_manage(user, alpcafe)


def participation_of(user, alpcafe):
    """The member's registered (or attended) participation at the AlpCafé, or None."""
    from alpcafes.models import Participation

    if not user.is_authenticated:
        return None
    return (
        Participation.objects.filter(
            alpcafe=alpcafe, contact__user=user, status=Participation.Status.REGISTERED
        )
        .select_related("contact__stakeholder")
        .first()
    )
