"""Who may do what in the registry: written once, used by views and templates."""

from .models import MODERATORS_GROUP, ORGANISERS_GROUP, Stakeholder


def _group_names(user) -> frozenset[str]:
    # Cached on the user object: a page may ask several times and should query once.
    if not hasattr(user, "_alp_group_names"):
        user._alp_group_names = frozenset(user.groups.values_list("name", flat=True))
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
