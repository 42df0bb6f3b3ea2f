"""Partnerships: the public browse list, pages and feed; the members' pages to publish, renew and
close opportunities and to answer the interest they receive; the moderators' queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from common import ratelimits
from common.permissions import role_required
from stakeholders.models import Stakeholder

from . import matching, permissions, selectors, services, tokens
from .filters import OpportunityFilter
from .forms import DecideForm, InterestForm, OpportunityForm, RejectForm
from .models import ExpressionOfInterest, Opportunity

PAGE_SIZE = 20
moderator_required = role_required(permissions.can_moderate)
publisher_required = role_required(permissions.can_publish)


@require_safe
def opportunity_list(request):
    """Open offers and requests, searched and faceted like the registry."""
    filterset = OpportunityFilter(request.GET, queryset=selectors.public_list())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partnerships/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "opportunities": page.object_list,
            "query_string": query.urlencode(),
            "is_filtered": any(v for k, v in request.GET.items() if k not in ("page", "status")),
            "can_publish": permissions.can_publish(request.user),
        },
    )


def _visible(request, slug) -> Opportunity:
    opportunity = get_object_or_404(selectors.detail_queryset(), slug=slug)
    # Someone else's draft is a 404, not a 403: its existence is not public either.
    if not permissions.can_view(request.user, opportunity):
        raise Http404
    return opportunity


@require_safe
def detail(request, slug):
    opportunity = _visible(request, slug)
    user = request.user
    is_owner = permissions.is_owner(user, opportunity)
    context = {
        "opportunity": opportunity,
        "is_owner": is_owner,
        "can_edit": permissions.can_edit(user, opportunity),
        "can_close": permissions.can_close(user, opportunity),
        "can_express_interest": permissions.can_express_interest(user, opportunity),
    }
    if is_owner:
        context["counts"] = (
            selectors.with_interest_counts(Opportunity.objects.filter(pk=opportunity.pk))
            .values("interest_count", "interest_waiting", "interest_accepted")
            .get()
        )
        if opportunity.is_open:
            context["matches"] = matching.for_opportunity(opportunity)
    if user.is_authenticated and context["can_express_interest"]:
        context["already_interested"] = ExpressionOfInterest.objects.filter(
            opportunity=opportunity, sender_stakeholder_id=permissions.organisation_id(user)
        ).exists()
    return render(request, "partnerships/detail.html", context)


def _form_page(request, form, opportunity, stakeholder, status=200):
    return render(
        request,
        "partnerships/form.html",
        {"form": form, "opportunity": opportunity, "stakeholder": stakeholder},
        status=status,
    )


@publisher_required
def create(request):
    stakeholder = get_object_or_404(Stakeholder, pk=permissions.organisation_id(request.user))
    if not permissions.can_publish_for(request.user, stakeholder):
        raise PermissionDenied
    initial = {"language": request.LANGUAGE_CODE[:2]}
    form = OpportunityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if ratelimits.refused(request, "opportunity", form):
            return _form_page(request, form, None, stakeholder, status=429)
        try:
            opportunity = services.opportunity_save(
                stakeholder=stakeholder, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you: a moderator reviews the opportunity before it is published."),
            )
            return redirect(opportunity)
    return _form_page(request, form, None, stakeholder)


@login_required
def edit(request, slug):
    opportunity = _visible(request, slug)
    if not permissions.can_edit(request.user, opportunity):
        raise PermissionDenied
    form = OpportunityForm(request.POST or None, opportunity=opportunity)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_save(
                stakeholder=opportunity.stakeholder,
                user=opportunity.created_by,
                opportunity=opportunity,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The changes are saved; a moderator reviews them before publication.")
            )
            return redirect(opportunity)
    return _form_page(request, form, opportunity, opportunity.stakeholder)


@login_required
@require_POST
def close(request, slug):
    opportunity = _visible(request, slug)
    if not permissions.can_close(request.user, opportunity):
        raise PermissionDenied
    services.opportunity_close(opportunity=opportunity, user=request.user)
    messages.success(request, _("The opportunity is closed: it takes no more interest."))
    return redirect(opportunity)


@never_cache
def renew(request, token):
    """The renewal link of the reminder: no account needed, the signed link is the credential
    (for that opportunity and that expiry date). The page shows one button; GET changes nothing."""
    found = tokens.read_renewal_token(token)
    if found is None:
        raise Http404
    pk, expires_on = found
    opportunity = get_object_or_404(Opportunity.objects.select_related("stakeholder"), pk=pk)
    if not opportunity.can_be_renewed or opportunity.expires_on != expires_on:
        return render(
            request,
            "partnerships/renew.html",
            {"opportunity": opportunity, "done": True},
            status=410,
        )
    if request.method == "POST":
        services.opportunity_renew(opportunity=opportunity, expected_expiry=expires_on)
        opportunity.refresh_from_db()
        messages.success(
            request,
            _("Renewed: the opportunity stays open until %(date)s.")
            % {"date": opportunity.expires_on.isoformat()},
        )
        return redirect(opportunity)
    return render(
        request,
        "partnerships/renew.html",
        {"opportunity": opportunity, "until": services.renewed_until(opportunity)},
    )


@login_required
@require_safe
def mine(request):
    """The member's organisation: its opportunities with the interest received, the interest
    waiting for an answer, and the interest it sent."""
    org = permissions.organisation_id(request.user)
    context = {"has_organisation": org is not None}
    if org is not None:
        context.update(
            opportunities=selectors.organisation_opportunities(org),
            received=selectors.interests_received(org),
            sent=selectors.interests_sent(org),
            matches=matching.for_stakeholder(Stakeholder.objects.get(pk=org)),
            decide_form=DecideForm(),
        )
    return render(request, "partnerships/mine.html", context)


@login_required
def interest(request, slug):
    """Express interest: a message passed on to the owning organisation, no address shown."""
    opportunity = _visible(request, slug)
    if not permissions.can_express_interest(request.user, opportunity):
        raise PermissionDenied
    form = InterestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if ratelimits.refused(request, "interest", form):
            status = 429
        else:
            try:
                services.interest_express(
                    opportunity=opportunity,
                    sender=request.user,
                    message=form.cleaned_data["message"],
                    share_phone=form.cleaned_data["share_phone"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your interest is passed on. You will hear by e-mail when they answer."),
                )
                return redirect(opportunity)
    return render(
        request,
        "partnerships/interest.html",
        {"opportunity": opportunity, "form": form},
        status=status,
    )


@login_required
@require_POST
def interest_decide(request, pk):
    interest = get_object_or_404(ExpressionOfInterest.objects.select_related("opportunity"), pk=pk)
    if not permissions.is_owner(request.user, interest.opportunity):
        raise Http404  # someone else's: not even its existence
    form = DecideForm(request.POST)
    if not form.is_valid() or not interest.is_pending:
        messages.error(request, _("This expression of interest was answered already."))
        return redirect("partnerships:mine")
    accept = form.cleaned_data["decision"] == "accept"
    services.interest_decide(
        interest=interest,
        user=request.user,
        accept=accept,
        share_phone=form.cleaned_data["share_phone"],
    )
    if accept:
        messages.success(
            request, _("Accepted: you both receive each other's contact details by e-mail.")
        )
    else:
        messages.success(request, _("Declined: the sender is told, without your address."))
    return redirect("partnerships:mine")


# --- Moderation ---------------------------------------------------------------------------------


@moderator_required
@require_safe
def moderation(request):
    return render(
        request,
        "partnerships/moderation.html",
        {"pending": list(selectors.pending_opportunities()), "reject_form": RejectForm()},
    )


@moderator_required
@require_POST
def moderate(request, pk):
    opportunity = get_object_or_404(Opportunity, pk=pk)
    try:
        if request.POST.get("decision") == "approve":
            services.opportunity_approve(opportunity=opportunity, moderator=request.user)
            messages.success(request, _("“%(title)s” is published.") % {"title": opportunity.title})
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Please give the reason for the rejection."))
                return redirect("partnerships:moderation")
            services.opportunity_reject(
                opportunity=opportunity,
                reason=form.cleaned_data["reason"],
                moderator=request.user,
            )
            messages.success(request, _("“%(title)s” is rejected.") % {"title": opportunity.title})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("partnerships:moderation"))
