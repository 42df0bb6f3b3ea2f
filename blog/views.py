from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alpcafes.models import AlpCafe
from common import ratelimits
from common.fragments import canonical_query, content_key, current_object, lazy_context
from common.parsing import parse_ids
from common.permissions import role_required
from common.ratelimits import rate_limited
from stakeholders.selectors import contact_of_user

from . import permissions, selectors, services
from .filters import PostFilter
from .forms import (
    CommentEditForm,
    CommentForm,
    PostForm,
    ProposalForm,
    RejectForm,
    ReportForm,
)
from .models import Comment, PolicyProposal, Post, Report

PAGE_SIZE = 20


moderator_required = role_required(permissions.can_moderate)


# --- Lists ---------------------------------------------------------------------------------------


#: The query parameters the lists understand (their filters and the page).
LIST_PARAMS = (*PostFilter.base_filters, "page")


def _post_list(request, *, template: str, fixed_kind: str | None = None, default_sort="new"):
    def data():
        query = request.GET.copy()
        if fixed_kind:
            query["kind"] = fixed_kind
        filterset = PostFilter(
            query or None,
            queryset=Post.objects.published(),
            request=request,
            default_sort=default_sort,
        )
        page = Paginator(selectors.card_relations(filterset.qs), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        valid = filterset.form.is_valid()
        return {
            "filter": filterset,
            "page_obj": page,
            "posts": page.object_list,
            "topic": filterset.form.cleaned_data.get("topic") if valid else None,
            "tag": filterset.form.cleaned_data.get("tag") if valid else None,
            "is_filtered": any(
                request.GET.get(param) for param in LIST_PARAMS if param not in ("page", "sort")
            ),
        }

    can_write = permissions.can_write(request.user)
    key = content_key(request, template, params=LIST_PARAMS, extra=(can_write,))
    return render(
        request,
        template,
        {
            **lazy_context(data, "filter", "page_obj", "posts", "topic", "tag", "is_filtered"),
            "query_string": canonical_query(request, LIST_PARAMS),
            "can_write": can_write,
            "content_key": key,
            "page_key": key,  # the whole page kept, a member's menu rendered into it
        },
    )


@require_safe
def post_list(request):
    return _post_list(request, template="blog/list.html")


@require_safe
def idea_list(request):
    return _post_list(
        request, template="blog/ideas.html", fixed_kind=Post.Kind.IDEA, default_sort="supports"
    )


@login_required
@require_safe
def my_posts(request):
    posts = selectors.for_cards(Post.objects.filter(author=request.user)).order_by(
        "-updated_at", "-pk"
    )
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "blog/mine.html", {"page_obj": page, "posts": page.object_list})


# --- A post --------------------------------------------------------------------------------------


def _visible_post(request, slug, *, full: bool = True) -> Post:
    """The post, if this visitor may see it; ``full`` with its counts, topics and tags (the page
    reads them only when its fragments are not kept)."""
    if full:
        post = get_object_or_404(selectors.post_for_page(Post.objects.all()), slug=slug)
    else:  # as of the page's data versions: not read again while they are current
        queryset = Post.objects.select_related("author", "alpcafe")
        post = current_object(request, "post", queryset, slug=slug)
    # A post that is not public is a 404, not a 403: its existence is not public either.
    if post is None or not permissions.can_view_post(request.user, post):
        raise Http404
    return post


def _detail(request, post: Post, *, comment_form=None, status=200):
    user = request.user

    def read_full_post():
        if hasattr(post, "comment_count"):
            return post
        return selectors.post_for_page(Post.objects.filter(pk=post.pk)).get()

    def comments():
        comments = selectors.post_comments(post) if post.is_published else []
        if user.is_authenticated:
            now = timezone.now()
            for comment in comments:
                for one in (comment, *comment.thread_replies):
                    one.editable = permissions.can_edit_comment(user, one, now=now)
        return comments

    key = content_key(request, "post", extra=(post.pk,))
    thread = SimpleLazyObject(comments)

    def comment_count() -> int:
        if user.is_authenticated:  # the member's comments are read anyway: count them
            return sum(not one.is_hidden for top in thread for one in (top, *top.thread_replies))
        return full_post.comment_count

    full_post = SimpleLazyObject(read_full_post)
    context = {
        "post": post,
        # What every visitor sees alike is kept as fragments (content_key): the post's text,
        # labels and counts, and its comments as visitors see them and as members who wrote
        # none of them see them. What they show is read only when they are rendered.
        "content_key": key,
        # The whole page kept; the member's buttons and forms are its personal parts.
        "page_key": key,
        "comments_key": _comments_key(user, post, key),
        "full_post": full_post,
        "comments": thread,
        # A callable: the template calls it only where it shows the number.
        "comment_count": comment_count,
        "comment_form": comment_form or CommentForm(),
        # An empty comment form is the same for every member: kept; one with errors is not.
        "comment_form_key": None if comment_form is not None else "empty",
        "can_comment": permissions.can_comment(user, post),
        "can_edit": permissions.can_edit_post(user, post),
        "can_moderate": permissions.can_moderate(user),
        "can_report": permissions.can_report(user),
        "can_support": permissions.can_support(user, post),
        "has_supported": SimpleLazyObject(
            lambda: selectors.has_supported(post, user) if post.is_idea else False
        ),
        "proposals": SimpleLazyObject(
            lambda: selectors.proposals_from_idea(post) if post.is_idea else []
        ),
        "canonical_url": request.build_absolute_uri(post.get_absolute_url()),
        "cover_url": request.build_absolute_uri(post.cover.url) if post.cover else "",
        "reject_form": RejectForm(),
        "idea_statuses": Post.IdeaStatus.choices,
    }
    return render(request, "blog/detail.html", context, status=status)


def _comments_key(user, post: Post, key: tuple) -> tuple | None:
    """The comments look the same to every visitor, and to every member who wrote none of them
    (each gets the same "Report" links; ``key`` tells members from visitors); a member's own
    comments carry their edit links and a moderator's page its forms: rendered for them."""
    if not user.is_authenticated:
        return key
    if permissions.can_moderate(user) or post.comments.filter(author=user).exists():
        return None
    return key


@require_safe
def post_detail(request, slug):
    return _detail(request, _visible_post(request, slug, full=False))


def _submitting(request) -> bool:
    return request.POST.get("action") != "draft"


def _save_message(request, post: Post) -> None:
    if post.state == Post.State.PUBLISHED:
        messages.success(request, _("Your post is published."))
    elif post.state == Post.State.PENDING:
        messages.info(
            request,
            _(
                "Thank you! A moderator will read your post before it appears; you will hear "
                "from us by e-mail."
            ),
        )
    else:
        messages.success(request, _("Your draft is saved. Only you can see it."))


@login_required
def post_create(request):
    initial = {}
    if request.GET.get("kind") in Post.Kind.values:
        initial["kind"] = request.GET["kind"]
    alpcafe_slug = request.GET.get("alpcafe")
    if alpcafe_slug:
        alpcafe = AlpCafe.objects.filter(slug=alpcafe_slug, state=AlpCafe.State.HELD).first()
        if alpcafe:
            initial.update(kind=Post.Kind.REPORT, alpcafe=alpcafe)
    form = PostForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if ratelimits.refused(request, "post", form):
            return _post_form(request, form, status=429)
        data = form.service_fields()
        try:
            post = services.post_create(
                author=request.user,
                topics=data["topics"],
                tags=services.tags_from_names(data["tag_names"]),
                submit=_submitting(request),
                **data["fields"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _save_message(request, post)
            return redirect(post)
    return _post_form(request, form, status=200)


def _post_form(request, form, *, status):
    return render(
        request,
        "blog/form.html",
        {"form": form, "post": None, "direct": permissions.can_publish_directly(request.user)},
        status=status,
    )


@login_required
def post_edit(request, slug):
    post = _visible_post(request, slug)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    form = PostForm(request.POST or None, request.FILES or None, instance=post)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        try:
            post = services.post_update(
                post=post,
                editor=request.user,
                submit=_submitting(request),
                topics=data["topics"],
                tags=services.tags_from_names(data["tag_names"]),
                **data["fields"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _save_message(request, post)
            return redirect(post)
    return render(
        request,
        "blog/form.html",
        {"form": form, "post": post, "direct": permissions.can_publish_directly(request.user)},
    )


@moderator_required
@require_POST
def idea_status(request, slug):
    post = get_object_or_404(Post.objects.published().ideas(), slug=slug)
    try:
        services.idea_set_status(post=post, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The idea is now: %(status)s.") % {"status": post.get_idea_status_display()}
        )
    return redirect(post)


# --- Supports ------------------------------------------------------------------------------------


@login_required
@require_POST
@rate_limited("support")
def support(request, slug):
    post = _visible_post(request, slug)
    if not post.is_idea:
        raise Http404
    if request.POST.get("action") == "withdraw":
        services.support_withdraw(post=post, user=request.user)
        messages.success(request, _("You no longer support this idea."))
    else:
        try:
            services.support_add(post=post, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You support this idea. Thank you!"))
    return redirect(post)


# --- Comments ------------------------------------------------------------------------------------


@login_required
@require_POST
def comment_create(request, slug):
    post = _visible_post(request, slug)
    if not permissions.can_comment(request.user, post):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _detail(request, post, comment_form=form, status=400)
    if ratelimits.refused(request, "comment", form):
        return _detail(request, post, comment_form=form, status=429)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"], post=post)
    try:
        comment = services.comment_create(
            post=post, author=request.user, body=form.cleaned_data["body"], parent=parent
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _detail(request, post, comment_form=form, status=400)
    messages.success(request, _("Your comment is online."))
    return redirect(comment.get_absolute_url())


def _comment(pk) -> Comment:
    return get_object_or_404(Comment.objects.select_related("post", "author"), pk=pk)


@login_required
def comment_edit(request, pk):
    comment = _comment(pk)
    if not permissions.can_view_post(request.user, comment.post):
        raise Http404
    if not permissions.can_edit_comment(request.user, comment):
        raise PermissionDenied
    form = CommentEditForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(
                comment=comment, editor=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your comment is changed."))
            return redirect(comment.get_absolute_url())
    return render(request, "blog/comment_edit.html", {"form": form, "comment": comment})


@moderator_required
@require_POST
def comment_hide(request, pk):
    comment = _comment(pk)
    hidden = request.POST.get("action") != "show"
    services.comment_hide(comment=comment, hidden=hidden, moderator=request.user)
    messages.success(
        request, _("The comment is hidden.") if hidden else _("The comment is shown again.")
    )
    return redirect(comment.get_absolute_url())


# --- Reports -------------------------------------------------------------------------------------


def _report(request, *, post: Post, comment: Comment | None):
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if ratelimits.refused(request, "report", form):
            status = 429
        else:
            return _report_create(request, form, post=post, comment=comment)
    return render(
        request,
        "blog/report.html",
        {"form": form, "post": post, "comment": comment},
        status=status,
    )


def _report_create(request, form, *, post: Post, comment: Comment | None):
    services.report_create(
        reporter=request.user,
        reason=form.cleaned_data["reason"],
        post=None if comment else post,
        comment=comment,
    )
    messages.success(
        request,
        _("Thank you. A moderator will look at it, and we will tell you what they decided."),
    )
    return redirect(comment.get_absolute_url() if comment else post.get_absolute_url())


@login_required
def report_post(request, slug):
    post = _visible_post(request, slug)
    if not post.is_published:
        raise Http404
    return _report(request, post=post, comment=None)


@login_required
def report_comment(request, pk):
    comment = _comment(pk)
    if not comment.post.is_published or comment.is_hidden:
        raise Http404
    return _report(request, post=comment.post, comment=comment)


# --- Moderation ----------------------------------------------------------------------------------


@moderator_required
@require_safe
def moderation(request):
    return render(
        request,
        "blog/moderation.html",
        {
            "pending": list(selectors.pending_posts()),
            "reports": list(selectors.open_reports()),
            "reject_form": RejectForm(),
        },
    )


@moderator_required
@require_POST
def moderate_post(request, pk):
    post = get_object_or_404(Post.objects.exclude(state=Post.State.DRAFT), pk=pk)
    if request.POST.get("decision") == "approve":
        services.post_approve(post=post, moderator=request.user)
        messages.success(request, _("“%(title)s” is published.") % {"title": post.title})
    else:
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                _("“%(title)s” was not rejected: please give a reason.") % {"title": post.title},
            )
            return redirect(_safe_next(request) or reverse("blog:moderation"))
        services.post_reject(post=post, reason=form.cleaned_data["reason"], moderator=request.user)
        messages.success(request, _("“%(title)s” is rejected.") % {"title": post.title})
    return redirect(_safe_next(request) or reverse("blog:moderation"))


def _safe_next(request) -> str | None:
    """The page to go back to: a path on this site, else None (redirect() would take a bare word
    such as "0" for the name of a view)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@moderator_required
@require_POST
def moderate_report(request, pk):
    report = get_object_or_404(Report, pk=pk)
    if report.status != Report.Status.OPEN:
        messages.info(request, _("Another moderator has already decided on this report."))
    elif request.POST.get("decision") == "hide":
        services.report_hide_content(
            report=report, moderator=request.user, note=request.POST.get("note", "")
        )
        messages.success(request, _("The content is hidden and the reporter is told."))
    else:
        services.report_dismiss(report=report, moderator=request.user)
        messages.success(request, _("The report is dismissed and the reporter is told."))
    return redirect("blog:moderation")


# --- Policy proposals ----------------------------------------------------------------------------


@require_safe
def proposal_list(request):
    can_manage = permissions.can_manage_proposals(request.user)

    def data():
        queryset = (
            selectors.proposals_with_counts(PolicyProposal.objects.all())
            if can_manage  # drafts too
            else selectors.proposals_public()
        )
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        return {"page_obj": page, "proposals": page.object_list}

    return render(
        request,
        "blog/proposals.html",
        {
            **lazy_context(data, "page_obj", "proposals"),
            "can_manage": can_manage,
            "content_key": content_key(request, "proposals", params=["page"], extra=(can_manage,)),
        },
    )


def _visible_proposal(request, slug, *, full: bool = True) -> PolicyProposal:
    """The proposal, if this visitor may see it; ``full`` with its ideas and AlpCafés (its page
    reads them only when its fragments are not kept)."""
    queryset = (
        selectors.proposal_detail_queryset()
        if full
        else PolicyProposal.objects.select_related("created_by")
    )
    proposal = get_object_or_404(queryset, slug=slug)
    if not permissions.can_view_proposal(request.user, proposal):
        raise Http404
    return proposal


@require_safe
def proposal_detail(request, slug):
    proposal = _visible_proposal(request, slug, full=False)
    user = request.user
    stakeholder = None
    if user.is_authenticated and proposal.is_open:
        # Read only (GET never writes): the contact is made when the member endorses.
        stakeholder = contact_of_user(user).stakeholder
    return render(
        request,
        "blog/proposal_detail.html",
        {
            "proposal": proposal,
            # Its texts, where it grew from and its endorsements: the same for everyone until
            # the data changes, read only when those fragments are rendered.
            "content_key": content_key(request, "proposal", extra=(proposal.pk,)),
            "full_proposal": SimpleLazyObject(lambda: _visible_proposal(request, slug)),
            "endorsements": SimpleLazyObject(lambda: selectors.proposal_endorsements(proposal)),
            "stakeholder": stakeholder,
            "has_endorsed": selectors.endorsed_by_stakeholder(
                proposal, stakeholder.pk if stakeholder else None
            ),
            "can_endorse": permissions.can_endorse(user, proposal),
            "can_manage": permissions.can_manage_proposals(user),
            "next_status": services.PROPOSAL_NEXT.get(proposal.status),
            "canonical_url": request.build_absolute_uri(proposal.get_absolute_url()),
        },
    )


def _proposal_data(form) -> dict:
    return {
        name: form.cleaned_data[name]
        for name in ("title", "problem", "joint_action", "level", "ideas", "alpcafes")
    }


@moderator_required
def proposal_create(request):
    initial = {
        "ideas": parse_ids(request.GET.getlist("ideas")),
        "alpcafes": parse_ids(request.GET.getlist("alpcafes")),
    }
    form = ProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(created_by=request.user, **_proposal_data(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The proposal is saved as a draft. Open it for endorsement when it is ready."),
            )
            return redirect(proposal)
    return render(request, "blog/proposal_form.html", {"form": form, "proposal": None})


@moderator_required
def proposal_edit(request, slug):
    proposal = get_object_or_404(PolicyProposal, slug=slug)
    if proposal.status == PolicyProposal.Status.SUBMITTED:
        messages.error(request, _("A submitted proposal can no longer be changed."))
        return redirect(proposal)
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(proposal=proposal, **_proposal_data(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The proposal is saved."))
            return redirect(proposal)
    return render(request, "blog/proposal_form.html", {"form": form, "proposal": proposal})


@moderator_required
@require_POST
def proposal_advance(request, slug):
    proposal = get_object_or_404(PolicyProposal, slug=slug)
    try:
        proposal = services.proposal_advance(proposal=proposal, status=request.POST.get("status"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        status = proposal.get_status_display()
        messages.success(request, _("The proposal is now: %(status)s.") % {"status": status})
    return redirect(proposal)


@login_required
@require_POST
@rate_limited("endorse")
def endorse(request, slug):
    proposal = _visible_proposal(request, slug)
    try:
        if request.POST.get("action") == "withdraw":
            services.endorsement_withdraw(proposal=proposal, user=request.user)
            messages.success(request, _("Your organisation's endorsement is withdrawn."))
        else:
            endorsement = services.endorsement_create(proposal=proposal, user=request.user)
            messages.success(
                request,
                _("%(name)s endorses this proposal. Thank you!")
                % {"name": endorsement.stakeholder.name},
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(proposal)
