"""Who may do what in the registry: written once, used by views and templates."""

from .models import MODERATORS_GROUP, ORGANISERS_GROUP, Contact, JoinRequest, Stakeholder


def remember_group_names(user, names) -> None:
    """The user's group names, read with the user (stakeholders/backends.py)."""
    user._alp_group_names = frozenset(names)


def _group_names(user) -> frozenset[str]:
    # Cached on the user object: a page may ask several times and should query once; the
    # backends read them with the user, so a member's request does not query them at all.
    if not hasattr(user, "_alp_group_names"):
        remember_group_names(user, user.groups.values_list("name", flat=True))
    return user._alp_group_names


def is_moderator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or MODERATORS_GROUP in _group_names(user))


def is_organiser(user) -> bool:
    return user.is_authenticated and (user.is_superuser or ORGANISERS_GROUP in _group_names(user))


def can_view_stakeholder(user, stakeholder: Stakeholder) -> bool:
    """Published stakeholders are public; a pending or rejected one is seen by moderators and by
    the member who registered it."""
    if stakeholder.state == Stakeholder.State.PUBLISHED:
        return True
    return user.is_authenticated and (is_moderator(user) or stakeholder.submitted_by_id == user.pk)


def _organisation_id(user) -> int | None:
    # Cached on the user object: a page may ask several times and should query once.
    if not hasattr(user, "_alp_organisation_id"):
        user._alp_organisation_id = (
            Contact.objects.filter(user=user).values_list("stakeholder_id", flat=True).first()
        )
    return user._alp_organisation_id


def belongs_to(user, stakeholder: Stakeholder) -> bool:
    """The member's contact is linked to this organisation."""
    return user.is_authenticated and _organisation_id(user) == stakeholder.pk


def can_edit_stakeholder(user, stakeholder: Stakeholder) -> bool:
    """Its own members edit an organisation's public profile (moderators too)."""
    if not user.is_authenticated or stakeholder.state == Stakeholder.State.REJECTED:
        return False
    return is_moderator(user) or belongs_to(user, stakeholder)


def can_ask_to_join(user, stakeholder: Stakeholder) -> bool:
    """A member who belongs to no organisation yet may ask to join a published one."""
    return (
        user.is_authenticated
        and stakeholder.state == Stakeholder.State.PUBLISHED
        and _organisation_id(user) is None
    )


def can_decide_join(user, join_request: JoinRequest) -> bool:
    return user.is_authenticated and (
        is_moderator(user) or belongs_to(user, join_request.stakeholder)
    )
