"""Who may do what with AlpCafés: written once, used by views and templates."""

from stakeholders.permissions import is_organiser

from .models import AlpCafe


def can_create_alpcafe(user) -> bool:
    return is_organiser(user)


def can_manage(user, alpcafe: AlpCafe) -> bool:
    """Only the organisers of this AlpCafé (and superusers) manage it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not is_organiser(user):
        return False
    if getattr(alpcafe, "organiser_checked_for", None) == user.pk:
        return alpcafe.organised_by_user  # read with its figures (selectors.manage_figures)
    return alpcafe.organisers.filter(pk=user.pk).exists()


def can_view(user, alpcafe: AlpCafe) -> bool:
    return alpcafe.state != AlpCafe.State.DRAFT or can_manage(user, alpcafe)
