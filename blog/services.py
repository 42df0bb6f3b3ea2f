"""Writes to the community space: views, forms, admin actions, demo data and tasks come here.

Every text is rendered and sanitised here, once, when it is saved; the search index of a post is
refreshed in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alpcafes.models import AlpCafe
from common import audit
from common.slugs import unique_slug
from common.versions import changed_on_commit
from outbox.services import message_queue
from stakeholders.models import Sector, Stakeholder, User
from stakeholders.services import contact_for_user

from . import mail, permissions
from .models import Comment, Endorsement, PolicyProposal, Post, Report, Support, Tag
from .rendering import excerpt_of, render_comment, render_markdown

# Paths under /blog/ and /proposals/ that a slug must never shadow.
RESERVED_POST_SLUGS = {"new", "mine", "ideas", "moderation", "feed", "topics", "comments"}
RESERVED_PROPOSAL_SLUGS = {"new"}

SEARCH_UPDATE_SQL = """
UPDATE blog_post AS p SET search_document =
    setweight(to_tsvector('alpclusters', p.title), 'A')
 || setweight(to_tsvector('alpclusters', coalesce((
        SELECT string_agg(tag.name, ' ')
          FROM blog_post_tags AS link JOIN blog_tag AS tag ON tag.id = link.tag_id
         WHERE link.post_id = p.id), '')), 'B')
 || setweight(to_tsvector('alpclusters', coalesce((
        SELECT string_agg(concat_ws(' ', sector.name, sector.name_de, sector.name_fr,
                                     sector.name_it, sector.name_sl), ' ')
          FROM blog_post_topics AS link
          JOIN stakeholders_sector AS sector ON sector.id = link.sector_id
         WHERE link.post_id = p.id), '')), 'B')
 || setweight(to_tsvector('alpclusters', p.body_markdown), 'C')
"""


def post_refresh_search(*, ids: Iterable[int] | None = None) -> None:
    """Recompute the search index of the given posts (all when ``ids`` is None). PostgreSQL only;
    on SQLite the search reads the columns."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(SEARCH_UPDATE_SQL)
        else:
            cursor.execute(SEARCH_UPDATE_SQL + " WHERE p.id = ANY(%s)", [list(ids)])


def _unique_slug(model, text: str, reserved: set[str], *, exclude_pk: int | None = None) -> str:
    return unique_slug(model, text, reserved=reserved, exclude_pk=exclude_pk)


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    """The tags named (created when new), by their slug, so "Wood" and "wood" are one tag."""
    tags, seen = [], set()
    for name in names:
        name = " ".join(name.split())[:50]
        slug = slugify(name)[:60]
        if not slug or slug in seen:
            continue
        seen.add(slug)
        tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    return tags


# --- Posts ---------------------------------------------------------------------------------------


def _render(post: Post) -> None:
    post.body_html = render_markdown(post.body_markdown)
    post.excerpt = excerpt_of(post.body_html)


def _state_on_submit(post: Post, editor: User) -> str:
    return Post.State.PUBLISHED if permissions.can_publish_directly(editor) else Post.State.PENDING


def _set_state(post: Post, state: str) -> None:
    post.state = state
    if state != Post.State.REJECTED:
        post.rejection_reason = ""
    if state == Post.State.PUBLISHED and post.published_at is None:
        post.published_at = timezone.now()


def _save_post(post: Post, *, topics, tags) -> Post:
    _render(post)
    post.full_clean()
    post.save()
    if topics is not None:
        post.topics.set(topics)
    if tags is not None:
        post.tags.set(tags)
    post_refresh_search(ids=[post.pk])
    changed_on_commit("blog")
    return post


@transaction.atomic
def post_create(
    *,
    author: User,
    kind: str,
    title: str,
    body_markdown: str,
    topics: Iterable[Sector] = (),
    tags: Iterable[Tag] = (),
    alpcafe: AlpCafe | None = None,
    cover=None,
    cover_alt: str = "",
    submit: bool = True,
) -> Post:
    """Write a post. Saved as a draft, or submitted: published at once when the author is a
    moderator or a trusted member, else waiting for a moderator.

    Side effects: its tags are created when new; its HTML and search index are computed.
    """
    post = Post(
        author=author,
        kind=kind,
        title=title,
        body_markdown=body_markdown,
        alpcafe=alpcafe,
        cover=cover or "",
        cover_alt=cover_alt,
        slug=_unique_slug(Post, title, RESERVED_POST_SLUGS),
    )
    _set_state(post, _state_on_submit(post, author) if submit else Post.State.DRAFT)
    return _save_post(post, topics=list(topics), tags=list(tags))


@transaction.atomic
def post_update(
    *,
    post: Post,
    editor: User,
    submit: bool,
    topics: Iterable[Sector] | None = None,
    tags: Iterable[Tag] | None = None,
    **fields,
) -> Post:
    """Change a post's content. ``submit`` publishes it (moderators, trusted members) or sends it
    for review; otherwise it is kept as a draft, which a published post cannot become.

    An untrusted member's change to a published post waits for a moderator again, so that an
    approved post cannot be turned into something else unseen. Side effects: a moderator who
    publishes someone's waiting post this way approves it, and its author is mailed.
    """
    for name, value in fields.items():
        setattr(post, name, value)
    approved_by_other = False
    if submit:
        before = post.state
        _set_state(post, _state_on_submit(post, editor))
        # A moderator publishing someone's waiting post from its form approves it.
        approved_by_other = (
            before == Post.State.PENDING
            and post.state == Post.State.PUBLISHED
            and post.author_id != editor.pk
        )
    elif post.state == Post.State.PUBLISHED:
        raise ValidationError(_("A published post cannot go back to draft."))
    else:
        _set_state(post, Post.State.DRAFT)
    _save_post(
        post,
        topics=None if topics is None else list(topics),
        tags=None if tags is None else list(tags),
    )
    if approved_by_other:
        _queue_decision_mail(post, editor)
    return post


@transaction.atomic
def post_save_content(*, post: Post) -> Post:
    """Save a post as it is (the admin's change form): its HTML, slug and search index follow; its
    state is the caller's (a decision goes through post_approve or post_reject)."""
    if not post.slug:
        post.slug = _unique_slug(Post, post.title, RESERVED_POST_SLUGS, exclude_pk=post.pk)
    _set_state(post, post.state)
    return _save_post(post, topics=None, tags=None)


def _queue_decision_mail(post: Post, moderator: User | None) -> None:
    """Tell the author what a moderator decided, as it was decided (published or the reason)."""
    if post.author_id and post.author_id != getattr(moderator, "pk", None):
        message_queue(
            kind=mail.PostDecisionMail,
            contact=contact_for_user(user=post.author),
            about=post,
            data={
                "published": post.state == Post.State.PUBLISHED,
                "reason": post.rejection_reason,
            },
        )


@transaction.atomic
def post_approve(*, post: Post, moderator: User | None = None) -> Post:
    """Publish a post waiting for moderation. Side effects: its author is mailed the decision."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.state == Post.State.PUBLISHED:
        return post
    _set_state(post, Post.State.PUBLISHED)
    post.save(update_fields=["state", "rejection_reason", "published_at", "updated_at"])
    changed_on_commit("blog")
    _queue_decision_mail(post, moderator)
    audit.record(user=moderator, obj=post, message="Published")
    return post


@transaction.atomic
def post_reject(*, post: Post, reason: str, moderator: User | None = None) -> Post:
    """Reject a pending post, or take a published one down, with a reason.

    Side effects: its author is mailed the reason; the post leaves every public list and feed.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the rejection.")})
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.state, post.rejection_reason = Post.State.REJECTED, reason
    post.save(update_fields=["state", "rejection_reason", "updated_at"])
    changed_on_commit("blog")
    _queue_decision_mail(post, moderator)
    audit.record(user=moderator, obj=post, message=f"Rejected or taken down: {reason}")
    return post


@transaction.atomic
def idea_set_status(*, post: Post, status: str) -> Post:
    """Move an idea along: open → under discussion → taken into a proposal."""
    changed_on_commit("blog")  # the public pages show it
    if not post.is_idea:
        raise ValidationError(_("Only an idea has a status."))
    post.idea_status = status
    post.full_clean()
    post.save(update_fields=["idea_status", "updated_at"])
    return post


# --- Supports ------------------------------------------------------------------------------------


@transaction.atomic
def support_add(*, post: Post, user: User) -> Support:
    """The member supports the idea; supporting again changes nothing (one row per member, kept
    by a constraint, so simultaneous clicks give one support and no error)."""
    changed_on_commit("blog")  # the public pages show it
    if not permissions.can_support(user, post):
        raise ValidationError(_("Only a published idea can be supported."))
    try:
        support, _created = Support.objects.get_or_create(post=post, user=user)
    except IntegrityError:  # the other request's insert won between our look-up and ours
        support = Support.objects.get(post=post, user=user)
    return support


@transaction.atomic
def support_withdraw(*, post: Post, user: User) -> bool:
    """Take a support back; returns whether there was one."""
    changed_on_commit("blog")  # the public pages show it
    deleted, _rows = Support.objects.filter(post=post, user=user).delete()
    return bool(deleted)


# --- Comments ------------------------------------------------------------------------------------


@transaction.atomic
def comment_create(
    *, post: Post, author: User, body: str, parent: Comment | None = None
) -> Comment:
    """Comment on a published post, or reply to a comment. A reply to a reply joins the same
    thread: replies go one level deep."""
    changed_on_commit("blog")  # the public pages show it
    if not permissions.can_comment(author, post):
        raise ValidationError(_("Comments are open on published posts only."))
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent
    comment = Comment(post=post, author=author, parent=parent, body=body.strip())
    comment.body_html = render_comment(comment.body)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, editor: User, body: str) -> Comment:
    """Change one's own comment within the edit window."""
    changed_on_commit("blog")  # the public pages show it
    if not permissions.can_edit_comment(editor, comment):
        raise ValidationError(_("This comment can no longer be edited."))
    comment.body = body.strip()
    comment.body_html = render_comment(comment.body)
    comment.edited_at = timezone.now()
    comment.full_clean()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


@transaction.atomic
def comment_hide(
    *, comment: Comment, hidden: bool = True, moderator: User | None = None
) -> Comment:
    """Hide a comment from everyone (its replies stay), or show it again. Side effects: the
    audit trail notes the moderator."""
    changed_on_commit("blog")  # the public pages show it
    comment.hidden_at = timezone.now() if hidden else None
    comment.save(update_fields=["hidden_at"])
    audit.record(user=moderator, obj=comment, message="Hidden" if hidden else "Shown again")
    return comment


# --- Reports and the moderation queue ----------------------------------------------------------


@transaction.atomic
def report_create(
    *, reporter: User, reason: str, post: Post | None = None, comment: Comment | None = None
) -> Report:
    """Report a post or a comment to the moderators. Reporting the same thing again while the
    first report is open returns that report."""
    existing = Report.objects.filter(
        reporter=reporter, post=post, comment=comment, status=Report.Status.OPEN
    ).first()
    if existing is not None:
        return existing
    report = Report(reporter=reporter, post=post, comment=comment, reason=reason.strip())
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # a double click: the first one is the report
        return Report.objects.get(
            reporter=reporter, post=post, comment=comment, status=Report.Status.OPEN
        )
    return report


def _resolve(report: Report, status: str, moderator: User | None) -> None:
    report.status, report.resolved_at, report.resolved_by = status, timezone.now(), moderator
    report.save(update_fields=["status", "resolved_at", "resolved_by"])
    if report.reporter_id:  # gone when the reporter deleted their account
        message_queue(
            kind=mail.ReportOutcomeMail,
            contact=contact_for_user(user=report.reporter),
            about=report,
        )


@transaction.atomic
def report_hide_content(*, report: Report, moderator: User | None = None, note: str = "") -> Report:
    """Act on a report: the comment is hidden, or the post is taken down (rejected with the
    moderator's note as reason). Every open report on the same content is resolved with it.

    Side effects: each reporter is told the outcome; a post's author is mailed the reason.
    """
    changed_on_commit("blog")  # the public pages show it
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.OPEN:
        return report
    if report.comment_id:
        comment_hide(comment=report.comment, moderator=moderator)
        same = Report.objects.filter(comment_id=report.comment_id)
    else:
        post_reject(
            post=report.post,
            moderator=moderator,
            reason=note.strip()
            or _("Hidden by a moderator after a report: %(reason)s") % {"reason": report.reason},
        )
        same = Report.objects.filter(post_id=report.post_id)
    for other in same.filter(status=Report.Status.OPEN).select_for_update():
        _resolve(other, Report.Status.HIDDEN, moderator)
    report.refresh_from_db()
    return report


@transaction.atomic
def report_dismiss(*, report: Report, moderator: User | None = None) -> Report:
    """Keep the content as it is. Side effects: the reporter is told."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == Report.Status.OPEN:
        _resolve(report, Report.Status.DISMISSED, moderator)
    return report


# --- Policy proposals ----------------------------------------------------------------------------


def _check_sources(ideas: list[Post], alpcafes: list[AlpCafe]) -> None:
    if not ideas and not alpcafes:
        raise ValidationError(
            _("A proposal grows from at least one idea or one AlpCafé: choose its sources.")
        )
    if any(not idea.is_idea or not idea.is_published for idea in ideas):
        raise ValidationError({"ideas": _("Only published ideas can be a proposal's source.")})
    if any(alpcafe.state != AlpCafe.State.HELD for alpcafe in alpcafes):
        raise ValidationError({"alpcafes": _("Only held AlpCafés can be a proposal's source.")})


def _save_proposal(proposal: PolicyProposal, ideas: list[Post], alpcafes: list[AlpCafe]):
    _check_sources(ideas, alpcafes)
    proposal.problem_html = render_markdown(proposal.problem)
    proposal.action_html = render_markdown(proposal.joint_action)
    proposal.full_clean()
    proposal.save()
    proposal.ideas.set(ideas)
    proposal.alpcafes.set(alpcafes)
    proposal_mark_ideas(proposal=proposal)
    return proposal


def proposal_mark_ideas(*, proposal: PolicyProposal) -> None:
    """The ideas' own status tells their readers where they went: "taken into a proposal"."""
    proposal.ideas.exclude(idea_status=Post.IdeaStatus.PROPOSAL).update(
        idea_status=Post.IdeaStatus.PROPOSAL, updated_at=timezone.now()
    )
    # Called once a proposal and its relations (the admin's endorsements too) are saved.
    changed_on_commit("blog")


@transaction.atomic
def proposal_save_content(*, proposal: PolicyProposal) -> PolicyProposal:
    """Save a proposal as it is (the admin's change form): its HTML and slug follow. Its sources
    are the caller's; call proposal_mark_ideas once they are saved."""
    if not proposal.slug:
        proposal.slug = _unique_slug(
            PolicyProposal, proposal.title, RESERVED_PROPOSAL_SLUGS, exclude_pk=proposal.pk
        )
    proposal.problem_html = render_markdown(proposal.problem)
    proposal.action_html = render_markdown(proposal.joint_action)
    proposal.full_clean()
    proposal.save()
    changed_on_commit("blog")
    return proposal


@transaction.atomic
def proposal_create(
    *,
    created_by: User,
    title: str,
    problem: str,
    joint_action: str,
    level: str,
    ideas: Iterable[Post] = (),
    alpcafes: Iterable[AlpCafe] = (),
) -> PolicyProposal:
    """Build a draft proposal from ideas and held AlpCafés.

    Side effects: its ideas are marked "taken into a proposal".
    """
    proposal = PolicyProposal(
        title=title,
        problem=problem,
        joint_action=joint_action,
        level=level,
        created_by=created_by,
        slug=_unique_slug(PolicyProposal, title, RESERVED_PROPOSAL_SLUGS),
    )
    return _save_proposal(proposal, list(ideas), list(alpcafes))


@transaction.atomic
def proposal_update(
    *,
    proposal: PolicyProposal,
    ideas: Iterable[Post] | None = None,
    alpcafes: Iterable[AlpCafe] | None = None,
    **fields,
) -> PolicyProposal:
    """Change a proposal's text, level or sources. Side effects: new ideas are marked."""
    if proposal.status == PolicyProposal.Status.SUBMITTED:
        raise ValidationError(_("A submitted proposal can no longer be changed."))
    for name, value in fields.items():
        setattr(proposal, name, value)
    ideas = list(proposal.ideas.all()) if ideas is None else list(ideas)
    alpcafes = list(proposal.alpcafes.all()) if alpcafes is None else list(alpcafes)
    return _save_proposal(proposal, ideas, alpcafes)


PROPOSAL_NEXT = {
    PolicyProposal.Status.DRAFT: PolicyProposal.Status.OPEN,
    PolicyProposal.Status.OPEN: PolicyProposal.Status.SUBMITTED,
}


@transaction.atomic
def proposal_advance(*, proposal: PolicyProposal, status: str) -> PolicyProposal:
    """Move a proposal one step on: draft → open for endorsement → submitted."""
    proposal = PolicyProposal.objects.select_for_update().get(pk=proposal.pk)
    if PROPOSAL_NEXT.get(proposal.status) != status:
        raise ValidationError(
            _(
                "A proposal goes from draft to open for endorsement to submitted, one step at a "
                "time."
            )
        )
    now = timezone.now()
    proposal.status = status
    if status == PolicyProposal.Status.OPEN:
        proposal.opened_at = now
    else:
        proposal.submitted_at = now
    proposal.save(update_fields=["status", "opened_at", "submitted_at", "updated_at"])
    changed_on_commit("blog")
    return proposal


def endorsing_stakeholder(user: User) -> Stakeholder | None:
    """The organisation a member endorses for: their contact's stakeholder."""
    return contact_for_user(user=user).stakeholder


@transaction.atomic
def endorsement_create(*, proposal: PolicyProposal, user: User) -> Endorsement:
    """The member endorses the proposal on behalf of their organisation (their contact's
    stakeholder, which must be published). One endorsement per stakeholder: a colleague's earlier
    endorsement is an error that names it."""
    if proposal.status != PolicyProposal.Status.OPEN:
        raise ValidationError(_("This proposal is not open for endorsement."))
    stakeholder = endorsing_stakeholder(user)
    if stakeholder is None:
        raise ValidationError(
            _(
                "You can endorse on behalf of an organisation only, and your profile names none. "
                "Register your organisation, or ask us to link your account to it."
            )
        )
    if stakeholder.state != Stakeholder.State.PUBLISHED:
        raise ValidationError(
            _(
                "%(name)s is not published in the registry yet: you can endorse for it once a "
                "moderator has approved it."
            )
            % {"name": stakeholder.name}
        )
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                proposal=proposal, stakeholder=stakeholder, endorsed_by=user
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s has already endorsed this proposal.") % {"name": stakeholder.name}
        ) from None
    changed_on_commit("blog")
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, proposal: PolicyProposal, user: User) -> bool:
    """Withdraw the endorsement of the member's organisation while the proposal is open."""
    if proposal.status != PolicyProposal.Status.OPEN:
        raise ValidationError(_("This proposal is no longer open: its endorsements are final."))
    stakeholder = endorsing_stakeholder(user)
    if stakeholder is None:
        return False
    deleted, _rows = Endorsement.objects.filter(proposal=proposal, stakeholder=stakeholder).delete()
    changed_on_commit("blog")
    return bool(deleted)


def endorsements_move(*, survivor: Stakeholder, duplicates: Iterable[Stakeholder]) -> None:
    """When stakeholders merge, their endorsements go to the survivor; where the survivor already
    endorsed the same proposal, the duplicate's endorsement is dropped."""
    changed_on_commit("blog")  # the public pages show it
    ids = [d.pk for d in duplicates]
    already = Endorsement.objects.filter(stakeholder=survivor).values("proposal_id")
    Endorsement.objects.filter(stakeholder_id__in=ids, proposal_id__in=already).delete()
    # Two duplicates may both have endorsed one proposal: keep the earliest of them.
    seen: set[int] = set()
    for endorsement in Endorsement.objects.filter(stakeholder_id__in=ids).order_by("created_at"):
        if endorsement.proposal_id in seen:
            endorsement.delete()
            continue
        seen.add(endorsement.proposal_id)
        endorsement.stakeholder = survivor
        endorsement.save(update_fields=["stakeholder"])
