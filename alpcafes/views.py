import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from common import sections
from common.fragments import content_key, current_object, kept, lazy_context
from common.language import language_for_link
from common.parsing import parse_id
from common.permissions import role_required
from common.spreadsheet import safe_cell
from outbox.models import Message
from outbox.services import message_preview
from stakeholders.filters import StakeholderFilter
from stakeholders.models import Contact
from stakeholders.services import contact_for_user

from . import permissions, preselections, selectors, services
from .calendar import calendar_bytes
from .forms import AlpCafeForm, OutcomesForm, WalkInForm
from .mail import InvitationMail
from .models import AlpCafe, Participation

Status = Participation.Status
DETAIL_SLOT = "alpcafes.detail"


# --- Public pages ----------------------------------------------------------------------------


@require_safe
def alpcafe_list(request):
    def data():
        past = Paginator(selectors.alpcafes_past(), 12).get_page(request.GET.get("page"))
        return {"upcoming": list(selectors.alpcafes_upcoming()), "past": past, "page_obj": past}

    return render(
        request,
        "alpcafes/list.html",
        {
            **lazy_context(data, "upcoming", "past", "page_obj"),
            "can_create": permissions.can_create_alpcafe(request.user),
            "content_key": content_key(request, "alpcafes", params=["page"], upcoming=True),
        },
    )


def _get_visible(request, slug, *, full: bool = True) -> AlpCafe:
    """The AlpCafé, if this visitor may see it; ``full`` with its seat counts and organisers
    (its page reads them only when its fragments are not kept)."""
    if full:
        queryset = selectors.alpcafes_with_counts(AlpCafe.objects.all())
        alpcafe = get_object_or_404(queryset.prefetch_related("organisers"), slug=slug)
    else:  # as of the page's data versions: not read again while they are current
        queryset = AlpCafe.objects.select_related("host")
        alpcafe = current_object(request, "alpcafe", queryset, slug=slug)
    if alpcafe is None or not permissions.can_view(request.user, alpcafe):
        raise Http404
    return alpcafe


@require_safe
def alpcafe_detail(request, slug):
    alpcafe = _get_visible(request, slug, full=False)
    participation = None
    if request.user.is_authenticated:
        participation = Participation.objects.filter(
            alpcafe=alpcafe, contact__user=request.user
        ).first()
    full = SimpleLazyObject(lambda: _get_visible(request, slug))  # read once, when needed
    key = content_key(request, "alpcafe", upcoming=True, extra=(alpcafe.pk,))
    return render(
        request,
        "alpcafes/detail.html",
        {
            "alpcafe": alpcafe,
            # Its seats, organisers, texts and the sections of other apps: the same for everyone
            # until the data changes or the next five-minute slot (registration closes).
            "full_alpcafe": full,
            "content_key": key,
            # The whole page kept; the member's buttons and link are its personal parts.
            "page_key": key,
            # A callable: only the seat count and a member's button call it (kept as the
            # content is: the same for everyone until a registration changes it).
            "spots_left": lambda: kept((*key, "spots"), lambda: selectors.spots_left(alpcafe)),
            "sections": SimpleLazyObject(lambda: sections.render(DETAIL_SLOT, alpcafe)),
            "participation": participation,
            # The online link is for people with a seat only, never on the public page.
            "online_url": alpcafe.online_url
            if participation is not None and participation.is_registered
            else "",
            "can_manage": permissions.can_manage(request.user, alpcafe),
            "canonical_url": settings.SITE_URL + alpcafe.get_absolute_url(),
        },
    )


@login_required
@require_safe
def mine(request):
    """The member's AlpCafés: their coming registrations and places on a waitlist, those they
    came to; for organisers, the AlpCafés they organise."""
    return render(
        request,
        "alpcafes/mine.html",
        {
            "upcoming": selectors.participations_upcoming(request.user),
            "past": selectors.participations_past(request.user),
            "organised": selectors.alpcafes_organised_by(request.user)
            if permissions.can_create_alpcafe(request.user)
            else None,
        },
    )


@require_safe
def alpcafe_ics(request, slug):
    alpcafe = _get_visible(request, slug, full=False)
    key = content_key(request, "alpcafe-ics", upcoming=True, extra=(alpcafe.pk,))
    body = kept(key, lambda: calendar_bytes([alpcafe], name=alpcafe.title))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{alpcafe.slug}.ics"'
    return response


@require_safe
def calendar_feed(request):
    """Every public AlpCafé of the last year and the future, for calendar subscriptions."""

    def document():
        since = timezone.now() - timezone.timedelta(days=365)
        alpcafes = AlpCafe.objects.public().filter(ends_at__gte=since).order_by("starts_at")
        return calendar_bytes(alpcafes)

    body = kept(content_key(request, "calendar", upcoming=True), document)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@login_required
@require_POST
def register(request, slug):
    alpcafe = _get_visible(request, slug)
    contact = contact_for_user(user=request.user)
    try:
        participation = services.participation_register(alpcafe=alpcafe, contact=contact)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(alpcafe)
    if participation.status == Status.REGISTERED:
        messages.success(request, _("You are registered. See you there!"))
    else:
        messages.info(
            request,
            _("The AlpCafé is full: you are on the waitlist. We will mail you if a seat frees up."),
        )
    return redirect(alpcafe)


@login_required
@require_POST
def cancel_registration(request, slug):
    alpcafe = _get_visible(request, slug)
    participation = get_object_or_404(
        Participation,
        alpcafe=alpcafe,
        contact__user=request.user,
        status__in=[Status.REGISTERED, Status.WAITLISTED],
    )
    services.participation_decline(participation=participation)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(alpcafe)


def rsvp(request, token):
    """Answer an invitation from the link in the mail, without an account: the link is the
    credential, for that one contact and that one AlpCafé, until the AlpCafé ends. The page
    speaks the contact's language."""
    participation = get_object_or_404(
        Participation.objects.select_related("alpcafe", "contact"), token=token
    )
    with translation.override(language_for_link(request, participation.contact.language)):
        return _rsvp(request, participation)


def _rsvp(request, participation):
    alpcafe = participation.alpcafe
    token = participation.token
    if alpcafe.is_past or alpcafe.is_cancelled:
        return render(request, "alpcafes/rsvp_expired.html", {"alpcafe": alpcafe}, status=410)
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                participation = services.participation_register(
                    alpcafe=alpcafe, contact=participation.contact
                )
            elif answer == "decline" and participation.status not in (
                Status.DECLINED,
                Status.CANCELLED,
            ):
                participation = services.participation_decline(participation=participation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("alpcafes:rsvp", token=token)
    return render(
        request,
        "alpcafes/rsvp.html",
        {
            "participation": participation,
            "alpcafe": alpcafe,
            "spots_left": selectors.spots_left(alpcafe),
            "online_url": alpcafe.online_url if participation.is_registered else "",
        },
    )


# --- Organisers --------------------------------------------------------------------------------


#: What an AlpCafé's manage page shows: its guests (participations) and their contacts.
MANAGED = ("alpcafes", "registry")


def _managed(request, slug, *, counted: bool = False) -> AlpCafe:
    """The AlpCafé if this member manages it; ``counted``: as of the data versions (kept), with
    the manage page's figures and whether they organise it read in one query."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    if counted:
        alpcafe = current_object(
            request, "alpcafe-managed", AlpCafe.objects.all(), domains=MANAGED, slug=slug
        )
        if alpcafe is None:
            raise Http404
        alpcafe.figures = selectors.manage_figures(alpcafe, request.user)
        alpcafe.organised_by_user = alpcafe.figures["organised_by_user"]
        alpcafe.organiser_checked_for = request.user.pk
    else:
        alpcafe = get_object_or_404(AlpCafe, slug=slug)
    if not permissions.can_manage(request.user, alpcafe):
        # Organisers of other AlpCafés learn nothing about this one.
        if alpcafe.state == AlpCafe.State.DRAFT:
            raise Http404
        raise PermissionDenied
    return alpcafe


organiser_required = role_required(permissions.can_create_alpcafe)


def _invite_filters(query) -> str:
    """The registry's filters an organiser came with (e.g. a gap on the impact page), kept for
    the new AlpCafé's invitation page."""
    names = StakeholderFilter.base_filters.keys() - {"sort"}
    kept = {name: query.get(name) for name in sorted(names) if query.get(name)}
    return urlencode(kept)


@organiser_required
def alpcafe_create(request):
    """Schedule an AlpCafé. Arriving with the registry's filters in the address (the impact
    page's coverage gaps link here), the organiser goes on to invite exactly those stakeholders."""
    invite_query = _invite_filters(request.GET)
    form = AlpCafeForm(
        request.POST or None,
        initial={"capacity": 30, "reminder_hours": 48, "organisers": [request.user]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            # The creator always organises what they create.
            alpcafe = services.alpcafe_save(
                alpcafe=form.save(commit=False),
                organisers={request.user, *form.cleaned_data["organisers"]},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The AlpCafé is saved."))
            if invite_query and alpcafe.can_send_invitations:
                invite = reverse("alpcafes:invite", args=[alpcafe.slug])
                return redirect(f"{invite}?{invite_query}")
            return redirect("alpcafes:manage", slug=alpcafe.slug)
    return render(request, "alpcafes/form.html", {"form": form, "invite_query": invite_query})


@organiser_required
def alpcafe_edit(request, slug):
    alpcafe = _managed(request, slug)
    form = AlpCafeForm(request.POST or None, instance=alpcafe)
    if request.method == "POST" and form.is_valid():
        try:
            services.alpcafe_save(
                alpcafe=form.save(commit=False), organisers=form.cleaned_data["organisers"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The AlpCafé is saved."))
            return redirect("alpcafes:manage", slug=alpcafe.slug)
    return render(request, "alpcafes/form.html", {"form": form, "alpcafe": alpcafe})


@organiser_required
@require_safe
def manage(request, slug):
    return _manage_page(request, _managed(request, slug, counted=True))


def _manage_page(request, alpcafe, *, outcomes_form=None, status=200):
    """The organisers' page of an AlpCafé: its figures, the progress of its invitations, the
    guest list and the outcomes form. The guest list and the outcomes as saved are the same for
    every organiser: kept under the data versions and the state of the invitations; a form
    with errors is the organiser's own."""
    figures = getattr(alpcafe, "figures", None) or selectors.manage_figures(alpcafe, request.user)
    key = content_key(request, "manage", extra=(alpcafe.pk,), domains=MANAGED)
    state = ("queued", "sent", "failed", "cancelled", "attempts", "last_sent")
    return render(
        request,
        "alpcafes/manage.html",
        {
            # The page's layout kept (its title is the AlpCafé's), the content rendered.
            "page_key": key,
            "personal_content": True,
            "alpcafe": alpcafe,
            "guests_key": (*key, *(str(figures[name]) for name in state)),
            "guests": SimpleLazyObject(lambda: list(selectors.guests(alpcafe))),
            "counts": figures,
            "progress": figures,
            "spots_left": max(alpcafe.capacity - figures["registered"], 0),
            "outcomes_key": None if outcomes_form is not None else key,
            "outcomes_form": outcomes_form
            or SimpleLazyObject(lambda: OutcomesForm(instance=alpcafe)),
        },
        status=status,
    )


@organiser_required
@require_safe
def progress(request, slug):
    alpcafe = _managed(request, slug)
    figures = selectors.manage_figures(alpcafe, request.user)
    return JsonResponse({"queued": figures["queued"], "sent": figures["sent"]})


@organiser_required
@require_safe
def guests_csv(request, slug):
    alpcafe = _managed(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{alpcafe.slug}-guests.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["name", "organisation", "country", "email", "status", "waitlist_position", "attended"]
    )
    for p in alpcafe.participations.select_related("contact__stakeholder").order_by("pk"):
        stakeholder = p.contact.stakeholder
        row = [
            p.contact.full_name,
            stakeholder.name if stakeholder else "",
            stakeholder.country if stakeholder else "",
            p.contact.email,
            p.status,
            p.waitlist_position or "",
            "yes" if p.attended else "no",
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return response


def _invite_context(request, alpcafe, data):
    stakeholder_filter, contacts = selectors.invitee_candidates(alpcafe, data)
    query = data.copy()
    query.pop("csrfmiddlewaretoken", None)
    return stakeholder_filter, contacts, query.urlencode()


@organiser_required
@require_safe
def invite(request, slug):
    """Choose invitees with the registry's filters; a live count and a preview of recipients."""
    alpcafe = _managed(request, slug)
    stakeholder_filter, contacts, query = _invite_context(request, alpcafe, request.GET)
    count = contacts.count()
    if request.GET.get("format") == "count":
        label = ngettext("%(n)d recipient", "%(n)d recipients", count) % {"n": count}
        return JsonResponse({"count": count, "label": label})
    return render(
        request,
        "alpcafes/invite.html",
        {
            "alpcafe": alpcafe,
            "filter": stakeholder_filter,
            "count": count,
            "preview": contacts[:25],
            "query_string": query,
        },
    )


INVITEES_SALT = "alpcafes.invitees"


@organiser_required
def invite_review(request, slug):
    """The recipients the filters give, frozen: the page lists them and shows the invitation as
    the first of them will read it; "Send" (a POST) invites exactly that list, signed into the
    form, whatever the registry became in between (except who no longer accepts mail)."""
    alpcafe = _managed(request, slug)
    if request.method == "POST":
        return _send_invitations(request, alpcafe)
    try:
        preselected = preselections.preselection(alpcafe, request.GET)
    except preselections.UnknownPreselection:
        raise Http404 from None
    if preselected is None:
        _filter, contacts, query = _invite_context(request, alpcafe, request.GET)
    else:
        # Another app's proposal (a date poll's yes and if-need-be), under this page's rules.
        query, preselected = preselected
        contacts = selectors.invitee_candidates(alpcafe, None)[1].filter(
            pk__in=preselected.contacts.values("pk")
        )
    recipients = list(contacts)
    sample = None
    if recipients:
        first = recipients[0]
        # The invitation as the first recipient will read it, their personal link stood in for.
        message = Message(kind=InvitationMail.name, contact=first, about=alpcafe)
        message.participation = Participation(
            alpcafe=alpcafe,
            contact=first,
            status=Status.INVITED,
            token="PERSONAL-LINK",  # noqa: S106 — a stand-in shown to the organiser
        )
        sample = message_preview(message)
    return render(
        request,
        "alpcafes/invite_review.html",
        {
            "alpcafe": alpcafe,
            "count": len(recipients),
            "recipients": recipients,
            "sample": sample,
            "query_string": query,
            "preselection": preselected,
            "invitees": signing.Signer(salt=INVITEES_SALT).sign_object(
                [alpcafe.pk, [c.pk for c in recipients]], compress=True
            ),
        },
    )


def _send_invitations(request, alpcafe):
    try:
        alpcafe_pk, ids = signing.Signer(salt=INVITEES_SALT).unsign_object(
            request.POST.get("invitees", "")
        )
    except (signing.BadSignature, ValueError, TypeError):
        alpcafe_pk, ids = None, []
    if alpcafe_pk != alpcafe.pk or not ids:
        messages.error(request, _("The list of recipients was not valid; please review it again."))
        return redirect("alpcafes:invite", slug=alpcafe.slug)
    try:
        created = services.invitations_create(
            alpcafe=alpcafe, contacts=Contact.objects.filter(pk__in=ids)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("alpcafes:manage", slug=alpcafe.slug)
    messages.success(
        request,
        ngettext(
            "%(count)d invitation is on its way.",
            "%(count)d invitations are on their way.",
            len(created),
        )
        % {"count": len(created)},
    )
    skipped = len(ids) - len(created)
    if skipped:
        messages.info(
            request,
            ngettext(
                "%(count)d contact of the list was left out: they no longer accept mail or "
                "were invited meanwhile.",
                "%(count)d contacts of the list were left out: they no longer accept mail or "
                "were invited meanwhile.",
                skipped,
            )
            % {"count": skipped},
        )
    return redirect("alpcafes:manage", slug=alpcafe.slug)


@organiser_required
def check_in(request, slug):
    """A phone-sized list of the registered participants with one button each, a search by
    name, and walk-ins; open from the day of the AlpCafé until it is marked held."""
    alpcafe = _managed(request, slug)
    if not alpcafe.can_check_in:
        return render(request, "alpcafes/check_in.html", {"alpcafe": alpcafe, "closed": True})
    walk_in = WalkInForm(request.POST if "walk_in" in request.POST else None)
    if request.method == "POST" and "walk_in" in request.POST:
        if walk_in.is_valid():
            participation = services.participation_walk_in(alpcafe=alpcafe, **walk_in.cleaned_data)
            messages.success(
                request,
                _("%(name)s is checked in.") % {"name": participation.contact.full_name},
            )
            return redirect(reverse("alpcafes:check_in", args=[slug]) + f"#p{participation.pk}")
    elif request.method == "POST":
        participation_id = parse_id(request.POST.get("participation"))
        participation = get_object_or_404(alpcafe.participations, pk=participation_id)
        services.participation_check_in(
            participation=participation, attended=request.POST.get("attended") == "1"
        )
        return redirect(reverse("alpcafes:check_in", args=[slug]) + f"#p{participation.pk}")
    query = request.GET.get("q", "")[:100].strip()
    return render(
        request,
        "alpcafes/check_in.html",
        {
            "alpcafe": alpcafe,
            "participations": selectors.check_in_list(alpcafe, query),
            "query": query,
            "walk_in": walk_in,
            "counts": selectors.manage_figures(alpcafe, request.user),
        },
    )


@organiser_required
@require_safe
def mail_log(request, slug):
    """What the outbox sent (or will send) about this AlpCafé: to whom, what, when."""
    alpcafe = _managed(request, slug)
    page = Paginator(selectors.mail_sent_about(alpcafe), 50).get_page(request.GET.get("page"))
    return render(
        request, "alpcafes/mail_log.html", {"alpcafe": alpcafe, "page_obj": page, "rows": page}
    )


@organiser_required
@require_POST
def record_outcomes(request, slug):
    alpcafe = _managed(request, slug)
    form = OutcomesForm(request.POST, instance=alpcafe)
    if not form.is_valid():
        # Shown again with what was typed, never thrown away.
        messages.error(request, _("The outcomes could not be saved."))
        return _manage_page(request, alpcafe, outcomes_form=form, status=400)
    # What was typed is saved first: a refused "mark as held" must not lose it.
    services.alpcafe_record_outcomes(alpcafe=alpcafe, **form.cleaned_data)
    if "mark_held" not in request.POST:
        messages.success(request, _("The outcomes are saved."))
        return redirect("alpcafes:manage", slug=slug)
    try:
        services.alpcafe_mark_held(alpcafe=alpcafe)
    except ValidationError as error:
        messages.error(request, " ".join([*error.messages, str(_("The outcomes are saved."))]))
    else:
        messages.success(request, _("The AlpCafé is marked as held."))
    return redirect("alpcafes:manage", slug=slug)


@organiser_required
@require_POST
def cancel_alpcafe(request, slug):
    alpcafe = _managed(request, slug)
    try:
        services.alpcafe_cancel(alpcafe=alpcafe)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The AlpCafé is cancelled; everyone registered is told."))
    return redirect("alpcafes:manage", slug=slug)
