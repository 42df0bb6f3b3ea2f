"""Partnerships: the public browse list, pages and feed; the members' pages to publish, renew and
close opportunities and to answer the interest they receive; the moderators' queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from alpcafes.models import AlpCafe
from common import ratelimits
from common.parsing import parse_id, parse_ids
from common.permissions import role_required
from stakeholders.models import Stakeholder
from stakeholders.permissions import is_organiser
from stakeholders.selectors import contact_of_user

from . import calendars, matching, permissions, selectors, services, tokens
from .filters import OpportunityFilter
from .forms import DecideForm, InterestForm, MatchmakingForm, OpportunityForm, RejectForm
from .models import (
    Attendee,
    ExpressionOfInterest,
    Matchmaking,
    MeetingRequest,
    MeetingSlot,
    Opportunity,
)

PAGE_SIZE = 20
moderator_required = role_required(permissions.can_moderate)
publisher_required = role_required(permissions.can_publish)
organiser_required = role_required(is_organiser)


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
    context = {
        "has_organisation": org is not None,
        "matchmakings": selectors.matchmakings_of(request.user),
    }
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
    if ExpressionOfInterest.objects.filter(
        opportunity=opportunity, sender_stakeholder_id=permissions.organisation_id(request.user)
    ).exists():
        # Said before the member writes, not after they send.
        messages.info(
            request, _("Your organisation has already expressed interest in this opportunity.")
        )
        return redirect(opportunity)
    has_phone = bool(contact_of_user(request.user).phone)
    form = InterestForm(request.POST or None, has_phone=has_phone)
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
                    share_phone=form.cleaned_data.get("share_phone", False),
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


# --- 1:1 meetings at AlpCafés -------------------------------------------------------------------


def _matchmaking(slug) -> tuple[AlpCafe, Matchmaking | None]:
    alpcafe = get_object_or_404(AlpCafe, slug=slug)
    return alpcafe, Matchmaking.objects.filter(alpcafe=alpcafe).first()


def _participant(request, slug):
    """The AlpCafé, its matchmaking and the member's participation; 404 without matchmaking,
    403 for someone not registered."""
    alpcafe, matchmaking = _matchmaking(slug)
    if matchmaking is None or alpcafe.is_draft:
        raise Http404
    participation = permissions.participation_of(request.user, alpcafe)
    if participation is None:
        raise PermissionDenied
    attendee = Attendee.objects.filter(matchmaking=matchmaking, participation=participation).first()
    return alpcafe, matchmaking, participation, attendee


def _meetings_post(request, matchmaking, participation, attendee):
    action = request.POST.get("action")
    if action == "join":
        services.attendee_join(matchmaking=matchmaking, participation=participation)
        return _("You take part in the meetings: the others can now see you and ask you.")
    if attendee is None:
        raise ValidationError(_("Join the meetings first."))
    if action == "request":
        invitee = get_object_or_404(
            Attendee, pk=parse_id(request.POST.get("to")) or 0, matchmaking=matchmaking
        )
        services.meeting_request(
            requester=attendee, invitee=invitee, message=request.POST.get("message", "")[:500]
        )
        return _("Your request is sent.")
    if action == "answer":
        meeting = get_object_or_404(
            MeetingRequest, pk=parse_id(request.POST.get("meeting")) or 0, invitee=attendee
        )
        accept = request.POST.get("decision") == "accept"
        services.meeting_answer(meeting=meeting, attendee=attendee, accept=accept)
        return _("Accepted: the meeting will appear in your agenda.") if accept else _("Declined.")
    if action == "availability":
        ids = parse_ids(request.POST.getlist("unavailable"))
        slots = list(MeetingSlot.objects.filter(matchmaking=matchmaking, pk__in=ids))
        services.attendee_set_unavailable(attendee=attendee, slots=slots)
        return _("Your availability is saved.")
    raise ValidationError(_("Unknown action."))


@login_required
def meetings(request, slug):
    """The participants' page: join, see the others and their opportunities, ask for meetings,
    answer requests, say when you are not available."""
    alpcafe, matchmaking, participation, attendee = _participant(request, slug)
    if request.method == "POST":
        try:
            done = _meetings_post(request, matchmaking, participation, attendee)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect("partnerships:meetings", slug=slug)
    context = {"alpcafe": alpcafe, "matchmaking": matchmaking, "attendee": attendee}
    if attendee is not None:
        context.update(selectors.meetings_context(matchmaking, attendee))
    return render(request, "partnerships/meetings.html", context)


@login_required
@require_safe
def agenda(request, slug):
    alpcafe, matchmaking, _participation, attendee = _participant(request, slug)
    if attendee is None:
        return redirect("partnerships:meetings", slug=slug)
    rows = [
        (meeting, calendars.other_side(meeting, attendee))
        for meeting in services.agenda_of(attendee)
    ]
    return render(
        request,
        "partnerships/agenda.html",
        {"alpcafe": alpcafe, "matchmaking": matchmaking, "rows": rows},
    )


@login_required
@require_safe
def agenda_ics(request, slug):
    *_rest, attendee = _participant(request, slug)
    if attendee is None:
        raise Http404
    response = HttpResponse(
        calendars.agenda_ics(attendee, services.agenda_of(attendee)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meetings.ics"'
    return response


def _organised(request, slug) -> tuple[AlpCafe, Matchmaking | None]:
    alpcafe, matchmaking = _matchmaking(slug)
    if not permissions.can_run_matchmaking(request.user, alpcafe):
        if alpcafe.is_draft:
            raise Http404
        raise PermissionDenied
    return alpcafe, matchmaking


@organiser_required
def setup(request, slug):
    """Turn matchmaking on for the AlpCafé, with its slots and tables."""
    alpcafe, matchmaking = _organised(request, slug)
    initial = {"first_start": alpcafe.starts_at, "slot_minutes": 20, "slot_count": 6, "tables": 10}
    if matchmaking is not None:
        slots = list(matchmaking.slots.all())
        if slots:
            initial.update(
                first_start=slots[0].starts_at,
                slot_minutes=int((slots[0].ends_at - slots[0].starts_at).total_seconds() // 60),
                slot_count=len(slots),
            )
        initial.update(tables=matchmaking.tables, is_open=matchmaking.is_open)
    form = MatchmakingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.matchmaking_setup(alpcafe=alpcafe, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Matchmaking is set up."))
            return redirect("partnerships:grid", slug=slug)
    return render(
        request,
        "partnerships/setup.html",
        {"alpcafe": alpcafe, "matchmaking": matchmaking, "form": form},
    )


def _grid_post(request, matchmaking):
    action = request.POST.get("action")
    if action == "schedule":
        result = services.meetings_schedule(matchmaking=matchmaking)
        return (
            _(
                "%(scheduled)d of %(accepted)d accepted meetings are scheduled (at most "
                "%(bound)d can be)."
            )
            % result
        )
    if action == "send":
        count = services.agendas_send(matchmaking=matchmaking)
        return ngettext(
            "%(count)d agenda is on its way.", "%(count)d agendas are on their way.", count
        ) % {"count": count}
    if action == "move":
        meeting = get_object_or_404(
            MeetingRequest, pk=parse_id(request.POST.get("meeting")) or 0, matchmaking=matchmaking
        )
        slot = get_object_or_404(
            MeetingSlot, pk=parse_id(request.POST.get("slot")) or 0, matchmaking=matchmaking
        )
        table = parse_id(request.POST.get("table"))
        services.meeting_move(meeting=meeting, slot=slot, table=table or 0)
        return _("The meeting is moved. Send the agendas again to tell the two.")
    raise ValidationError(_("Unknown action."))


@organiser_required
def grid(request, slug):
    """The organiser's grid of slots × tables (printable), with scheduling, moving a meeting
    and sending the agendas."""
    alpcafe, matchmaking = _organised(request, slug)
    if matchmaking is None:
        return redirect("partnerships:setup", slug=slug)
    if request.method == "POST":
        try:
            done = _grid_post(request, matchmaking)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect("partnerships:grid", slug=slug)
    return render(
        request,
        "partnerships/grid.html",
        {"alpcafe": alpcafe, "matchmaking": matchmaking, **selectors.grid(matchmaking)},
    )
