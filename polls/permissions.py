"""Who may do what with date polls: the organisers of the AlpCafé (and superusers), as for the
AlpCafé itself. People asked need no account: their personal link is their credential."""

from alpcafes import permissions as alpcafe_permissions


def can_run_polls(user) -> bool:
    """Organisers: the role the poll pages need at all."""
    return alpcafe_permissions.can_create_alpcafe(user)


def can_manage_poll(user, alpcafe) -> bool:
    """The AlpCafé's own organisers run its polls and see the answers' counts."""
    return alpcafe_permissions.can_manage(user, alpcafe)
