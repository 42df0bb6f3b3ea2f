"""Who may do what in the community space: written once, used by views, templates and services.

Roles: a visitor reads what is published; a member (any logged-in user) writes posts, comments,
supports ideas, reports and endorses; a moderator publishes, hides and builds proposals.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from stakeholders.permissions import is_moderator

from .models import Comment, PolicyProposal, Post


def trusted_after() -> int:
    """How many of a member's posts a moderator must have approved before they publish directly."""
    return getattr(settings, "BLOG_TRUSTED_AFTER_APPROVED_POSTS", 3)


def comment_edit_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "BLOG_COMMENT_EDIT_MINUTES", 15))


def is_trusted(user) -> bool:
    """A member whose approved (published) posts reach the threshold publishes without review."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_blog_trusted"):
        threshold = trusted_after()
        user._blog_trusted = (
            Post.objects.published().filter(author=user).order_by()[:threshold].count() >= threshold
        )
    return user._blog_trusted


def can_moderate(user) -> bool:
    return is_moderator(user)


def can_publish_directly(user) -> bool:
    return is_moderator(user) or is_trusted(user)


def can_write(user) -> bool:
    return user.is_authenticated


def can_view_post(user, post: Post) -> bool:
    """Published posts are public; any other state is seen by its author and the moderators."""
    if post.state == Post.State.PUBLISHED:
        return True
    return user.is_authenticated and (post.author_id == user.pk or is_moderator(user))


def can_edit_post(user, post: Post) -> bool:
    return user.is_authenticated and (post.author_id == user.pk or is_moderator(user))


def can_comment(user, post: Post) -> bool:
    return user.is_authenticated and post.state == Post.State.PUBLISHED


def can_edit_comment(user, comment: Comment, *, now=None) -> bool:
    """Its author, within the edit window and while a moderator has not hidden it."""
    if not user.is_authenticated or comment.author_id != user.pk or comment.is_hidden:
        return False
    return (now or timezone.now()) - comment.created_at <= comment_edit_window()


def can_report(user) -> bool:
    return user.is_authenticated


def can_support(user, post: Post) -> bool:
    return user.is_authenticated and post.is_idea and post.state == Post.State.PUBLISHED


def can_view_proposal(user, proposal: PolicyProposal) -> bool:
    return proposal.status != PolicyProposal.Status.DRAFT or is_moderator(user)


def can_manage_proposals(user) -> bool:
    return is_moderator(user)


def can_endorse(user, proposal: PolicyProposal) -> bool:
    """Whether the endorse button is offered; the service says why when the member has no
    organisation to endorse for."""
    return user.is_authenticated and proposal.status == PolicyProposal.Status.OPEN
