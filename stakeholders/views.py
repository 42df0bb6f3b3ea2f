import csv
import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from common import ratelimits
from common.fragments import canonical_query, content_key, lazy_context
from common.language import language_for_link
from common.parsing import parse_id
from common.permissions import role_required
from common.ratelimits import rate_limited
from common.spreadsheet import safe_rows

from . import involvement, permissions, privacy, selectors, services
from .filters import YES_NO, StakeholderFilter
from .forms import (
    AccountDeleteForm,
    ContactEraseForm,
    ContactStakeholderForm,
    JoinRequestForm,
    MailPreferencesForm,
    ProfileForm,
    RegistrationDuplicateForm,
    RejectForm,
    StakeholderProfileForm,
    StakeholderRegistrationForm,
)
from .models import Contact, Country, Stakeholder, User
from .unsubscribe import read_preferences_token, read_unsubscribe_token

PAGE_SIZE = 20


def _filtered(request):
    """The directory's FilterSet over published stakeholders, from the query string."""
    return StakeholderFilter(
        request.GET or None, queryset=Stakeholder.objects.published(), request=request
    )


def _with_counts(field, counts: dict, labels=None) -> None:
    """Show how many results each choice would give, in the choice's label."""
    if labels is None:  # a model choice: the sector's slug is its value
        field.label_from_instance = lambda obj: f"{obj} ({counts.get(obj.slug, 0)})"
        return
    # django-filter's choice fields add their own empty choice ("All countries") when listed.
    field.choices = [(value, f"{label} ({counts.get(value, 0)})") for value, label in labels]


#: The query parameters the directory understands (its filters and the page).
DIRECTORY_PARAMS = (*StakeholderFilter.base_filters, "page")


@require_safe
def directory(request):
    def data():
        filterset = _filtered(request)
        queryset = filterset.qs
        params = {
            key: value
            for key, value in request.GET.items()
            if key in filterset.form.fields and key != "sort" and value
        }
        counts = selectors.cached_facet_counts(queryset, params)
        # The counts already hold the number of results: the paginator need not count again.
        paginator = Paginator(queryset.prefetch_related("sectors"), PAGE_SIZE)
        paginator.count = counts["partner"]["yes"] + counts["partner"]["no"]
        page = paginator.get_page(request.GET.get("page"))
        form = filterset.form
        _with_counts(form.fields["country"], counts["country"], Country.choices)
        _with_counts(form.fields["kind"], counts["kind"], Stakeholder.Kind.choices)
        _with_counts(form.fields["sector"], counts["sector"])
        _with_counts(form.fields["partner"], counts["partner"], YES_NO)
        _with_counts(form.fields["involved"], counts["involved"], YES_NO)
        return {
            "filter": filterset,
            "page_obj": page,
            "stakeholders": page.object_list,
            "is_filtered": bool(params),
        }

    key = content_key(request, "directory", params=DIRECTORY_PARAMS)
    return render(
        request,
        "stakeholders/directory.html",
        {
            **lazy_context(data, "filter", "page_obj", "stakeholders", "is_filtered"),
            "content_key": key,
            "page_key": key,  # the whole page kept, a member's menu rendered into it
            "query_string": canonical_query(request, DIRECTORY_PARAMS),
        },
    )


@require_safe
def detail(request, slug):
    stakeholder = get_object_or_404(Stakeholder, slug=slug)
    # A hidden stakeholder is a 404, not a 403: its existence is not public either.
    if not permissions.can_view_stakeholder(request.user, stakeholder):
        raise Http404

    def data():
        return {
            "sectors": list(stakeholder.sectors.all()),
            "contacts": list(selectors.stakeholder_public_contacts(stakeholder)),
            "sections": involvement.detail_sections(stakeholder),
            "can_be_contacted": services.stakeholder_recipients(stakeholder).exists(),
        }

    return render(
        request,
        "stakeholders/detail.html",
        {
            "stakeholder": stakeholder,
            # Its sectors, people, the sections of other apps and whether it can be written to:
            # the same for everyone (logged in or not) until the data changes.
            **lazy_context(data, "sectors", "contacts", "sections", "can_be_contacted"),
            "content_key": content_key(request, "stakeholder", extra=(stakeholder.pk,)),
            "can_edit": permissions.can_edit_stakeholder(request.user, stakeholder),
            "can_join": permissions.can_ask_to_join(request.user, stakeholder),
            "map_tile_url": settings.MAP_TILE_URL,
            "map_attribution": settings.MAP_TILE_ATTRIBUTION,
            "canonical_url": settings.SITE_URL + stakeholder.get_absolute_url(),
        },
    )


@require_safe
def map_page(request):
    def data():
        filterset = _filtered(request)
        queryset = filterset.qs.only("name", "slug", "city", "country", "kind")
        return {
            "filter": filterset,
            "page_obj": Paginator(queryset, 50).get_page(request.GET.get("page")),
        }

    query = canonical_query(request, DIRECTORY_PARAMS)
    return render(
        request,
        "stakeholders/map.html",
        {
            **lazy_context(data, "filter", "page_obj"),
            "content_key": content_key(request, "map", params=DIRECTORY_PARAMS),
            "query_string": query,
            "geojson_url": reverse("stakeholders:map_geojson") + "?" + query,
            "map_tile_url": settings.MAP_TILE_URL,
            "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@require_safe
def map_geojson(request):
    """The filtered published stakeholders that have coordinates, as GeoJSON points."""
    rows = (
        _filtered(request)
        .qs.filter(latitude__isnull=False, longitude__isnull=False)
        .values_list("name", "slug", "city", "latitude", "longitude")
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(lng), float(lat)]},
            "properties": {"name": name, "city": city, "url": f"/stakeholders/{slug}/"},
        }
        for name, slug, city, lat, lng in rows.iterator(chunk_size=5000)
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features})
    return HttpResponse(body, content_type="application/geo+json")


# --- Open data -------------------------------------------------------------------------------

EXPORT_COLUMNS = [*selectors.PUBLIC_FIELDS, "sectors", "url"]


def _export_batches(request, sectors):
    """Published stakeholders with the directory's filters, public fields only, as lists of
    tuples in the order of EXPORT_COLUMNS; streamed from a server-side cursor (read in index
    order: stakeholder_country_name), without model instances, each row's sectors aggregated by
    the database in the same query (``sectors`` makes the column from the joined names). The
    first batch is small so that the first byte leaves at once."""
    queryset = (
        _filtered(request)
        .qs.order_by("name", "pk")
        .annotate(sector_names=selectors.sector_names_joined())
        .values_list(*selectors.PUBLIC_FIELDS, "sector_names")
    )
    url_of = _detail_url_maker()
    slug = selectors.PUBLIC_FIELDS.index("slug")
    batch, size = [], EXPORT_FIRST_BATCH
    # In a transaction: outside one (autocommit) Django declares the cursor WITH HOLD, and
    # PostgreSQL then computes every row before giving the first (130 ms before the first byte
    # for 18,000 stakeholders instead of 15). Read-only, it ends with the download.
    with transaction.atomic():
        for *row, names in queryset.iterator(chunk_size=EXPORT_BATCH):
            batch.append((*row, sectors(names or ""), url_of(row[slug])))
            if len(batch) == size:
                yield batch
                batch, size = [], EXPORT_BATCH
    if batch:
        yield batch


#: Rows read and written together: the first batch small (the first byte), then larger.
EXPORT_FIRST_BATCH, EXPORT_BATCH = 200, 2000


def _detail_url_maker():
    """The public address of a stakeholder from its slug, without a reverse() per row."""
    marker = "slug-placeholder"
    prefix, suffix = (
        settings.SITE_URL + reverse("stakeholders:detail", kwargs={"slug": marker})
    ).split(marker)
    return lambda slug: f"{prefix}{slug}{suffix}"


@require_safe
def export_csv(request):
    text = [i for i, name in enumerate(EXPORT_COLUMNS) if name in EXPORT_TEXT_COLUMNS]
    flags = [EXPORT_COLUMNS.index("is_partner")]

    def pieces():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_COLUMNS)
        for batch in _export_batches(request, lambda names: names.replace(SEPARATOR, "; ")):
            writer.writerows(safe_rows(batch, text=text, flags=flags))
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = StreamingHttpResponse(pieces(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="alpclusters-stakeholders.csv"'
    return response


SEPARATOR = selectors.SECTOR_SEPARATOR

#: The columns of the exports that hold text someone typed (a spreadsheet must not run them).
EXPORT_TEXT_COLUMNS = {"name", "slug", "kind", "country", "region", "city", "website",
                       "description", "sectors", "url"}  # fmt: skip


@require_safe
def export_json(request):
    # The rows hold text, numbers, booleans, lists and the coordinates as Decimal (written as
    # strings, as DjangoJSONEncoder does, without its checks for dates on every value).
    encoder = json.JSONEncoder(default=str)

    def pieces():
        # The opening goes out with the first batch (the first byte is then real data).
        opening = '{"license": "CC BY 4.0", "stakeholders": ['
        split = lambda names: names.split(SEPARATOR) if names else []  # noqa: E731
        for batch in _export_batches(request, split):
            records = [dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in batch]
            # One list per batch, its brackets dropped: the batches join into one array.
            yield opening + encoder.encode(records)[1:-1]
            opening = ","
        yield ('{"license": "CC BY 4.0", "stakeholders": [' if opening != "," else "") + "]}"

    return StreamingHttpResponse(pieces(), content_type="application/json")


# --- Members ---------------------------------------------------------------------------------


def _registration_duplicates(data) -> list[Stakeholder]:
    candidate = Stakeholder(
        name=data.get("name") or "",
        country=data.get("country") or "",
        website=data.get("website") or "",
    )
    if not candidate.name:
        return []
    return selectors.stakeholder_likely_duplicates(candidate, published_only=True)


@login_required
def register(request):
    """Register an organisation. When it is probably in the registry already, the member sees
    the likely duplicates first and may ask to join one instead, or confirm and register."""
    form = StakeholderRegistrationForm(request.POST or None)
    duplicate_form = RegistrationDuplicateForm(request.POST or None)
    duplicates = []
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        duplicates = _registration_duplicates(data)
        confirmed = duplicate_form.is_valid() and duplicate_form.cleaned_data["not_a_duplicate"]
        if duplicates and not confirmed:
            pass  # shown first; the member confirms or asks to join one
        elif ratelimits.refused(request, "register_organisation", form):
            status = 429
        else:
            try:
                stakeholder = services.stakeholder_register(user=request.user, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you! A moderator will check %(name)s and you will hear from us by "
                        "e-mail."
                    )
                    % {"name": stakeholder.name},
                )
                return redirect(stakeholder)
    return render(
        request,
        "stakeholders/register.html",
        {"form": form, "duplicate_form": duplicate_form, "duplicates": duplicates},
        status=status,
    )


@login_required
@require_safe
def register_similar(request):
    """The organisations already published that look like the one being typed (JSON, for the
    registration form's hint)."""
    form = StakeholderRegistrationForm(request.GET)
    form.is_valid()  # only the fields that are valid are used
    data = {k: form.cleaned_data.get(k) for k in ("name", "country", "website")}
    duplicates = _registration_duplicates(data) if data["name"] and data["country"] else []
    return JsonResponse(
        {
            "similar": [
                {
                    "name": s.name,
                    "place": ", ".join(p for p in (s.city, s.get_country_display()) if p),
                    "url": s.get_absolute_url(),
                    "join_url": reverse("stakeholders:join", args=[s.slug]),
                }
                for s in duplicates
            ]
        }
    )


@login_required
@require_POST
@rate_limited("join_request")
def join(request, slug):
    """Ask to join an organisation of the registry."""
    stakeholder = get_object_or_404(Stakeholder.objects.published(), slug=slug)
    if not permissions.can_ask_to_join(request.user, stakeholder):
        messages.error(request, _("You already belong to an organisation."))
        return redirect(stakeholder)
    form = JoinRequestForm(request.POST)
    form.is_valid()
    try:
        services.join_request_create(
            user=request.user, stakeholder=stakeholder, message=form.cleaned_data.get("message", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your request is sent. A member of %(name)s or a moderator will answer it.")
            % {"name": stakeholder.name},
        )
    return redirect(stakeholder)


@login_required
def join_requests(request):
    """The open requests to join that this member may decide (their organisation's; all for
    moderators)."""
    if request.method == "POST":
        join_request = get_object_or_404(
            selectors.join_requests_to_decide(request.user),
            pk=parse_id(request.POST.get("request")),
        )
        approve = request.POST.get("decision") == "approve"
        try:
            services.join_request_decide(
                join_request=join_request, by=request.user, approve=approve
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                (
                    _("%(name)s now belongs to %(organisation)s.")
                    if approve
                    else _("The request of %(name)s is declined.")
                )
                % {
                    "name": join_request.user.display_name,
                    "organisation": join_request.stakeholder.name,
                },
            )
        return redirect("stakeholders:join_requests")
    return render(
        request,
        "stakeholders/join_requests.html",
        {"requests": list(selectors.join_requests_to_decide(request.user))},
    )


@login_required
def edit(request, slug):
    """An organisation's own members edit its public profile; moderators read what changed."""
    stakeholder = get_object_or_404(Stakeholder.objects.prefetch_related("sectors"), slug=slug)
    if not permissions.can_edit_stakeholder(request.user, stakeholder):
        if permissions.can_view_stakeholder(request.user, stakeholder):
            raise PermissionDenied
        raise Http404
    form = StakeholderProfileForm(request.POST or None, instance=stakeholder)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.MEMBER_EDITABLE}
        try:
            services.stakeholder_update_by_member(
                stakeholder=Stakeholder.objects.get(pk=stakeholder.pk),
                user=request.user,
                sectors=form.cleaned_data["sectors"],
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect(stakeholder)
    return render(request, "stakeholders/edit.html", {"form": form, "stakeholder": stakeholder})


@login_required
def contact(request, slug):
    stakeholder = get_object_or_404(Stakeholder.objects.published(), slug=slug)
    can_be_contacted = services.stakeholder_recipients(stakeholder).exists()
    form = ContactStakeholderForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if ratelimits.refused(request, "relay", form):
            status = 429
        elif not can_be_contacted:
            form.add_error(None, _("This organisation has no contact who accepts messages."))
        else:
            services.contact_message_send(
                sender=request.user, stakeholder=stakeholder, **form.cleaned_data
            )
            messages.success(request, _("Your message is on its way."))
            return redirect(stakeholder)
    return render(
        request,
        "stakeholders/contact.html",
        {"form": form, "stakeholder": stakeholder, "can_be_contacted": can_be_contacted},
        status=status,
    )


@login_required
def profile(request):
    # Read only: the member's contact is created when they first save (GET never writes).
    contact, registrations, join_requests = selectors.member_profile(request.user)
    form = ProfileForm(
        request.POST or None,
        initial=ProfileForm.initial_for(user=request.user, contact=contact),
        moderator=permissions.is_moderator(request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.member_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    return render(
        request,
        "stakeholders/profile.html",
        {
            # The page's layout kept, the member's own content rendered into it.
            "page_key": "profile",
            "personal_content": True,
            "form": form,
            "contact": contact,
            "registrations": registrations,
            "join_requests": join_requests,
        },
    )


# --- Moderation ------------------------------------------------------------------------------


@role_required(permissions.is_moderator)
@require_safe
def moderation(request):
    pending = (
        Stakeholder.objects.pending()
        .select_related("submitted_by")
        .prefetch_related("sectors")
        .order_by("created_at")
    )
    page = Paginator(pending, 10).get_page(request.GET.get("page"))
    return render(
        request,
        "stakeholders/moderation.html",
        {
            "page_obj": page,
            "items": [
                (stakeholder, selectors.stakeholder_likely_duplicates(stakeholder))
                for stakeholder in page.object_list
            ],
            "reject_form": RejectForm(),
            "join_count": selectors.join_requests_to_decide(request.user).count(),
            "edits": selectors.member_edits(),
        },
    )


@role_required(permissions.is_moderator)
@require_safe
def members(request):
    """Moderators find a member and lift the limits on how often they may post, comment,
    report… when they trust them (or restore the limits)."""
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "stakeholders/members.html",
        {"query": query, "members": selectors.members_find(query)},
    )


@role_required(permissions.is_moderator)
@require_POST
def member_trust(request, pk):
    member = get_object_or_404(User, pk=pk, is_active=True)
    trusted = request.POST.get("action") == "trust"
    services.member_set_trusted(member=member, trusted=trusted, moderator=request.user)
    if trusted:
        message = _("%(name)s is trusted: no limits on how often they post or comment.")
    else:
        message = _("The usual limits apply to %(name)s again.")
    messages.success(request, message % {"name": member.display_name})
    query = request.POST.get("q", "")[:100]
    return redirect(f"{reverse('stakeholders:members')}?{urlencode({'q': query})}")


@role_required(permissions.is_moderator)
@require_POST
def moderate(request, pk):
    stakeholder = get_object_or_404(Stakeholder.objects.pending(), pk=pk)
    if request.POST.get("decision") == "approve":
        services.stakeholder_publish(stakeholder=stakeholder, moderator=request.user)
        messages.success(request, _("%(name)s is published.") % {"name": stakeholder.name})
    else:
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                _("%(name)s was not rejected: please give a reason.") % {"name": stakeholder.name},
            )
            return redirect("stakeholders:moderation")
        services.stakeholder_reject(
            stakeholder=stakeholder, reason=form.cleaned_data["reason"], moderator=request.user
        )
        messages.success(request, _("%(name)s is rejected.") % {"name": stakeholder.name})
    return redirect("stakeholders:moderation")


@csrf_exempt  # RFC 8058: mail providers POST the one-click unsubscribe without a CSRF token
def unsubscribe(request, token):
    """GET shows a confirmation page; POST (the button, or a mail client's one-click request)
    unsubscribes at once. The signed token is the credential; no login."""
    try:
        contact_id, what = read_unsubscribe_token(token)
    except signing.BadSignature:
        raise Http404 from None
    contact = get_object_or_404(Contact, pk=contact_id)
    context = {"contact": contact, "what": what, "preferences_url": contact.preferences_url()}
    with translation.override(language_for_link(request, contact.language)):
        if request.method == "POST":
            services.contact_unsubscribe(contact=contact, what=what)
            return render(request, "stakeholders/unsubscribe.html", {**context, "done": True})
        return render(request, "stakeholders/unsubscribe.html", context)


def mail_preferences(request, token):
    """A contact's consents, digest and language from the signed link in every mail they get:
    no account needed. Members are sent to their profile, which holds the same settings."""
    try:
        contact_id = read_preferences_token(token)
    except signing.BadSignature:
        raise Http404 from None
    contact = get_object_or_404(Contact, pk=contact_id, erased_at__isnull=True)
    with translation.override(language_for_link(request, contact.language)):
        form = MailPreferencesForm(
            request.POST or None, initial=MailPreferencesForm.initial_for_contact(contact)
        )
        if request.method == "POST" and form.is_valid():
            services.contact_update_preferences(
                contact=contact, source="preferences link", **form.cleaned_data
            )
            messages.success(request, _("Your preferences are saved."))
            return redirect(request.path)
        return render(
            request,
            "stakeholders/mail_preferences.html",
            {
                "form": form,
                "contact": contact,
                "has_account": contact.user_id is not None,
                "token": token,
            },
        )


# --- Data rights -----------------------------------------------------------------------------


def _zip_response(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="alpclusters-my-data.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def my_data(request):
    """Everything the portal holds about the member: a zip with data.json and their uploads."""
    contact = selectors.contact_of_user(request.user)
    return _zip_response(
        privacy.export_zip(user=request.user, contact=contact if contact.pk else None)
    )


@login_required
def account_delete(request):
    """Delete the account, confirmed by the password: personal data erased, what the member
    wrote kept under "a former member", the figures unchanged, mail stopped at once."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        messages.success(request, _("Your account and your personal data are deleted. Goodbye."))
        return redirect("home")
    return render(request, "stakeholders/account_delete.html", {"form": form})


def _contact_from_token(token) -> Contact:
    try:
        contact_id = read_preferences_token(token)
    except signing.BadSignature:
        raise Http404 from None
    return get_object_or_404(Contact, pk=contact_id, erased_at__isnull=True)


@require_safe
def contact_data(request, token):
    """A contact without an account downloads their data from the link in their mail."""
    contact = _contact_from_token(token)
    return _zip_response(privacy.export_zip(user=contact.user, contact=contact))


def contact_erase(request, token):
    """A contact without an account erases their data from the link in their mail."""
    contact = _contact_from_token(token)
    if contact.user_id:
        # Members erase from their account (password-confirmed), not from a link.
        return redirect("account_delete")
    with translation.override(language_for_link(request, contact.language)):
        form = ContactEraseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.contact_erase(contact=contact)
            return render(request, "stakeholders/contact_erased.html")
        return render(
            request, "stakeholders/contact_erase.html", {"form": form, "contact": contact}
        )
