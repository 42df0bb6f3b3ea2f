"""Date polls: the organisers' pages (propose dates, choose who is asked, review and send, live
results, choose the date) and the page each person asked answers from their personal link."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from alpcafes.models import AlpCafe
from common.language import language_for_link
from common.parsing import parse_id
from common.permissions import role_required
from outbox.models import Message
from outbox.services import message_preview
from stakeholders.models import Contact

from . import calendars, permissions, selectors, services
from .forms import PollForm, VoteForm
from .mail import PollInvitationMail
from .models import DatePoll, PollInvitee, PollOption

organiser_required = role_required(permissions.can_run_polls)
ASKED_SALT = "polls.asked"
PREVIEW = 25
SAVED = gettext_noop(
    "Thank you: your answers are saved. You can change them until the poll closes."
)


def _managed(request, slug) -> AlpCafe:
    alpcafe = get_object_or_404(AlpCafe, slug=slug)
    if not permissions.can_manage_poll(request.user, alpcafe):
        # Organisers of other AlpCafés learn nothing about a draft that is not theirs.
        if alpcafe.is_draft:
            raise Http404
        raise PermissionDenied
    return alpcafe


def _active_poll(alpcafe) -> DatePoll | None:
    poll = selectors.latest_poll(alpcafe)
    return poll if poll is not None and poll.is_active else None


# --- The organisers' pages -----------------------------------------------------------------------


@organiser_required
@require_safe
def manage(request, slug):
    """The poll of the AlpCafé: its candidates with their holidays while it is being prepared,
    the live results once it is sent."""
    alpcafe = _managed(request, slug)
    poll = selectors.latest_poll(alpcafe)
    if poll is None and alpcafe.is_draft:
        return redirect("polls:dates", slug=slug)
    context = {"alpcafe": alpcafe, "poll": poll}
    if poll is not None and poll.is_draft:
        # Before anyone is chosen: the holidays for everyone who could be asked.
        _filter, everyone = selectors.poll_candidates(poll, None)
        place_counts = selectors.places(everyone)
        options = list(poll.options.all())
        holidays = selectors.holidays_by_option(options, place_counts)
        context.update(
            candidates=[(option, holidays[option.pk]) for option in options],
            regions_unknown=selectors.regions_unknown(place_counts),
        )
    elif poll is not None:
        context.update(_results_context(poll))
    return render(request, "polls/manage.html", context)


def _results_context(poll: DatePoll) -> dict:
    results = selectors.results(poll)
    place_counts = selectors.places(selectors.asked_contacts(poll))
    holidays = selectors.holidays_by_option([r.option for r in results], place_counts)
    for result in results:
        result.holidays = holidays[result.option.pk]
    return {
        "poll": poll,
        "alpcafe": poll.alpcafe,
        "results": results,
        "countries": selectors.countries_in(results),
        "counts": selectors.invitee_counts(poll),
        "regions_unknown": selectors.regions_unknown(place_counts),
    }


@organiser_required
@require_safe
def results(request, slug):
    """The results alone, for the organiser's page to refresh while answers come in."""
    alpcafe = _managed(request, slug)
    poll = selectors.latest_poll(alpcafe)
    if poll is None or poll.is_draft:
        raise Http404
    return render(request, "polls/_results.html", _results_context(poll))


@organiser_required
def dates(request, slug):
    """Propose the candidates and the closing time (a new poll, or one not sent yet)."""
    alpcafe = _managed(request, slug)
    poll = _active_poll(alpcafe)
    if not alpcafe.is_draft or (poll is not None and not poll.can_be_edited):
        return redirect("polls:manage", slug=slug)
    options = list(poll.options.all()) if poll else []
    initial = {"closes_at": poll.closes_at} if poll else {}
    form = PollForm(request.POST or None, options=options, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.poll_save(
                alpcafe=alpcafe,
                poll=poll,
                candidates=form.cleaned_data["candidates"],
                closes_at=form.cleaned_data["closes_at"],
                created_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The dates are saved."))
            return redirect("polls:manage", slug=slug)
    return render(request, "polls/dates.html", {"alpcafe": alpcafe, "poll": poll, "form": form})


def _askable(request, slug) -> tuple[AlpCafe, DatePoll | None]:
    alpcafe = _managed(request, slug)
    poll = _active_poll(alpcafe)
    if poll is None or not poll.can_ask_people or not alpcafe.is_draft:
        return alpcafe, None
    return alpcafe, poll


def _query(data) -> str:
    query = data.copy()
    for name in ("csrfmiddlewaretoken", "format", "asked"):
        query.pop(name, None)
    return query.urlencode()


@organiser_required
@require_safe
def ask(request, slug):
    """Choose who is asked with the registry's filters: a live count and a preview."""
    alpcafe, poll = _askable(request, slug)
    if poll is None:
        return redirect("polls:manage", slug=slug)
    stakeholder_filter, contacts = selectors.poll_candidates(poll, request.GET)
    count = contacts.count()
    label = ngettext("%(n)d person to ask", "%(n)d people to ask", count) % {"n": count}
    if request.GET.get("format") == "count":
        return JsonResponse({"count": count, "label": label})
    return render(
        request,
        "polls/ask.html",
        {
            "alpcafe": alpcafe,
            "poll": poll,
            "filter": stakeholder_filter,
            "count": count,
            "label": label,
            "preview": contacts[:PREVIEW],
            "more": max(count - PREVIEW, 0),
            "query_string": _query(request.GET),
        },
    )


@organiser_required
def review(request, slug):
    """The people the filters give, frozen (signed into the form), each candidate with the public
    holidays that fall on it for them, and the mail as the first of them will read it; "Send"
    asks exactly that list."""
    alpcafe, poll = _askable(request, slug)
    if poll is None:
        return redirect("polls:manage", slug=slug)
    if request.method == "POST":
        return _send(request, alpcafe, poll)
    _filter, contacts = selectors.poll_candidates(poll, request.GET)
    recipients = list(contacts)
    place_counts = selectors.places_of_list(recipients)
    options = list(poll.options.all())
    holidays = selectors.holidays_by_option(options, place_counts)
    sample = None
    if recipients:
        first = recipients[0]
        message = Message(kind=PollInvitationMail.name, contact=first, about=poll)
        message.invitee = PollInvitee(
            poll=poll,
            contact=first,
            token="PERSONAL-LINK",  # noqa: S106 — a stand-in shown to the organiser
        )
        sample = message_preview(message)
    return render(
        request,
        "polls/review.html",
        {
            "alpcafe": alpcafe,
            "poll": poll,
            "count": len(recipients),
            "recipients": recipients,
            "candidates": [(option, holidays[option.pk]) for option in options],
            "warnings": sum(1 for found in holidays.values() if found),
            "regions_unknown": selectors.regions_unknown(place_counts),
            "sample": sample,
            "query_string": _query(request.GET),
            "asked": signing.Signer(salt=ASKED_SALT).sign_object(
                [poll.pk, [c.pk for c in recipients]], compress=True
            ),
        },
    )


def _send(request, alpcafe, poll):
    try:
        poll_pk, ids = signing.Signer(salt=ASKED_SALT).unsign_object(request.POST.get("asked", ""))
        ids = [int(i) for i in ids]
    except (signing.BadSignature, ValueError, TypeError):
        poll_pk, ids = None, []
    if poll_pk != poll.pk or not ids:
        messages.error(request, _("The list of people was not valid; please review it again."))
        return redirect("polls:ask", slug=alpcafe.slug)
    try:
        created = services.poll_ask(poll=poll, contacts=Contact.objects.filter(pk__in=ids))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("polls:manage", slug=alpcafe.slug)
    messages.success(
        request,
        ngettext(
            "The poll is on its way to %(count)d person.",
            "The poll is on its way to %(count)d people.",
            len(created),
        )
        % {"count": len(created)},
    )
    skipped = len(ids) - len(created)
    if skipped:
        messages.info(
            request,
            ngettext(
                "%(count)d person of the list was left out: they no longer accept mail or were "
                "asked meanwhile.",
                "%(count)d people of the list were left out: they no longer accept mail or were "
                "asked meanwhile.",
                skipped,
            )
            % {"count": skipped},
        )
    return redirect("polls:manage", slug=alpcafe.slug)


@organiser_required
@require_POST
def close(request, slug):
    alpcafe = _managed(request, slug)
    poll = _active_poll(alpcafe)
    if poll is None:
        raise Http404
    try:
        services.poll_close(poll=poll)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The poll is closed: answers can no longer change."))
    return redirect("polls:manage", slug=slug)


@organiser_required
@require_POST
def choose(request, slug):
    """Choose a candidate: the AlpCafé is scheduled at that date and the invitation review opens
    with the people who said yes or if need be preselected."""
    alpcafe = _managed(request, slug)
    poll = selectors.latest_poll(alpcafe)
    option_id = parse_id(request.POST.get("option"))
    if poll is None or option_id is None:
        raise Http404
    option = get_object_or_404(PollOption, pk=option_id, poll=poll)
    try:
        services.poll_decide(poll=poll, option=option)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("polls:manage", slug=slug)
    messages.success(
        request,
        _("The AlpCafé is scheduled for the chosen date. Review the invitation and send it."),
    )
    review = reverse("alpcafes:invite_review", args=[alpcafe.slug])
    return redirect(f"{review}?{urlencode({'poll': poll.pk})}")


# --- The page of the people asked ----------------------------------------------------------------


@never_cache
def vote(request, token):
    """Answer from the link in the mail, without an account: the link is the credential, for that
    person and that poll; answers change until the poll closes. Only counts of the others'
    answers are shown, never who answered what."""
    invitee = selectors.invitee_by_token(token)
    if invitee is None:
        raise Http404
    poll = invitee.poll
    # The contact's language, unless the visitor chose one on the site.
    with translation.override(language_for_link(request, invitee.contact.language)):
        stakeholder = invitee.contact.stakeholder
        context = {
            "poll": poll,
            "alpcafe": poll.alpcafe,
            "zone": calendars.zone_for(stakeholder.country if stakeholder else None),
        }
        if not poll.accepts_answers:
            return render(request, "polls/closed.html", context, status=410)
        options = list(poll.options.all())
        answers = {a.option_id: a.choice for a in invitee.answers.all()}
        form = VoteForm(request.POST or None, options=options, answers=answers)
        if request.method == "POST" and form.is_valid():
            try:
                services.poll_answer(invitee=invitee, choices=form.choices)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _(SAVED))
                return redirect("polls:vote", token=token)
        counts = selectors.public_counts(poll)
        context.update(
            form=form,
            rows=[(option, field, counts[option.pk]) for option, field in form.rows],
            answered=invitee.has_answered,
            asked=poll.invitees.count(),
        )
        return render(request, "polls/vote.html", context)
