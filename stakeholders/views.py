import csv
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from common.spreadsheet import safe_cell

from . import involvement, permissions, selectors, services
from .filters import YES_NO, StakeholderFilter
from .forms import ContactStakeholderForm, ProfileForm, RejectForm, StakeholderRegistrationForm
from .models import Contact, Country, Stakeholder
from .unsubscribe import read_unsubscribe_token

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
    field.choices = [("", field.choices[0][1])] + [
        (value, f"{label} ({counts.get(value, 0)})") for value, label in labels
    ]


class DirectoryView(TemplateView):
    template_name = "stakeholders/directory.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = _filtered(self.request)
        queryset = filterset.qs
        params = {
            key: value
            for key, value in self.request.GET.items()
            if key in filterset.form.fields and key != "sort" and value
        }
        counts = selectors.cached_facet_counts(queryset, params)
        # The counts already hold the number of results: the paginator need not count again.
        paginator = Paginator(queryset.prefetch_related("sectors"), PAGE_SIZE)
        paginator.count = counts["partner"]["yes"] + counts["partner"]["no"]
        page = paginator.get_page(self.request.GET.get("page"))
        form = filterset.form
        _with_counts(form.fields["country"], counts["country"], Country.choices)
        _with_counts(form.fields["kind"], counts["kind"], Stakeholder.Kind.choices)
        _with_counts(form.fields["sector"], counts["sector"])
        _with_counts(form.fields["partner"], counts["partner"], YES_NO)
        _with_counts(form.fields["involved"], counts["involved"], YES_NO)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=filterset,
            page_obj=page,
            stakeholders=page.object_list,
            query_string=query.urlencode(),
            is_filtered=any(v for k, v in self.request.GET.items() if k not in ("page", "sort")),
        )
        return context


class StakeholderDetailView(DetailView):
    template_name = "stakeholders/detail.html"
    context_object_name = "stakeholder"

    def get_queryset(self):
        return Stakeholder.objects.prefetch_related("sectors")

    def get_object(self, queryset=None):
        stakeholder = super().get_object(queryset)
        # A hidden stakeholder is a 404, not a 403: its existence is not public either.
        if not permissions.can_view_stakeholder(self.request.user, stakeholder):
            raise Http404
        return stakeholder

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stakeholder = self.object
        context.update(
            contacts=list(selectors.stakeholder_public_contacts(stakeholder)),
            can_be_contacted=services.stakeholder_recipients(stakeholder).exists(),
            sections=involvement.detail_sections(stakeholder),
            map_tile_url=settings.MAP_TILE_URL,
            map_attribution=settings.MAP_TILE_ATTRIBUTION,
        )
        return context


class MapView(TemplateView):
    template_name = "stakeholders/map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = _filtered(self.request)
        page = Paginator(filterset.qs.only("name", "slug", "city", "country", "kind"), 50).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=filterset,
            page_obj=page,
            query_string=query.urlencode(),
            geojson_url=reverse("stakeholders:map_geojson") + "?" + query.urlencode(),
            map_tile_url=settings.MAP_TILE_URL,
            map_attribution=settings.MAP_TILE_ATTRIBUTION,
        )
        return context


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


def _export_rows(request):
    """Published stakeholders with the directory's filters, public fields only, streamed."""
    queryset = _filtered(request).qs.only(*selectors.PUBLIC_FIELDS).prefetch_related("sectors")
    for stakeholder in queryset.iterator(chunk_size=2000):
        row = {field: getattr(stakeholder, field) for field in selectors.PUBLIC_FIELDS}
        row["sectors"] = [sector.name for sector in stakeholder.sectors.all()]
        row["url"] = settings.SITE_URL + stakeholder.get_absolute_url()
        yield row


class _Echo:
    def write(self, value):
        return value


def export_csv(request):
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(EXPORT_COLUMNS)
        for row in _export_rows(request):
            row["sectors"] = "; ".join(row["sectors"])
            yield writer.writerow([safe_cell(row[column]) for column in EXPORT_COLUMNS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="alpclusters-stakeholders.csv"'
    return response


def export_json(request):
    encoder = DjangoJSONEncoder()

    def chunks():
        yield '{"license": "CC BY 4.0", "stakeholders": ['
        for index, row in enumerate(_export_rows(request)):
            yield ("," if index else "") + encoder.encode(row)
        yield "]}"

    return StreamingHttpResponse(chunks(), content_type="application/json")


# --- Members ---------------------------------------------------------------------------------


class RegisterView(LoginRequiredMixin, FormView):
    template_name = "stakeholders/register.html"
    form_class = StakeholderRegistrationForm

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        sectors, role = data.pop("sectors"), data.pop("role")
        try:
            stakeholder = services.stakeholder_register(
                user=self.request.user, sectors=sectors, role=role, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Thank you! A moderator will check %(name)s and you will hear from us by e-mail.")
            % {"name": stakeholder.name},
        )
        return redirect(stakeholder)


@method_decorator(
    ratelimit(
        key="user_or_ip",
        rate=lambda group, request: settings.CONTACT_RELAY_RATE,
        method="POST",
        block=False,
    ),
    name="post",
)
class ContactStakeholderView(LoginRequiredMixin, FormView):
    template_name = "stakeholders/contact.html"
    form_class = ContactStakeholderForm

    def dispatch(self, request, *args, **kwargs):
        self.stakeholder = get_object_or_404(Stakeholder.objects.published(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stakeholder"] = self.stakeholder
        context["can_be_contacted"] = services.stakeholder_recipients(self.stakeholder).exists()
        return context

    def form_valid(self, form):
        if getattr(self.request, "limited", False):
            form.add_error(
                None, _("You have sent several messages in a short time. Please try again later.")
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        if not services.stakeholder_recipients(self.stakeholder).exists():
            form.add_error(None, _("This organisation has no contact who accepts messages."))
            return self.form_invalid(form)
        services.contact_message_send(
            sender=self.request.user, stakeholder=self.stakeholder, **form.cleaned_data
        )
        messages.success(self.request, _("Your message is on its way."))
        return redirect(self.stakeholder)


class ProfileView(LoginRequiredMixin, FormView):
    template_name = "stakeholders/profile.html"
    form_class = ProfileForm

    def get_initial(self):
        contact = services.contact_for_user(user=self.request.user)
        return ProfileForm.initial_for(user=self.request.user, contact=contact)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contact = services.contact_for_user(user=self.request.user)
        context["contact"] = contact
        context["registrations"] = self.request.user.submitted_stakeholders.all()
        return context

    def form_valid(self, form):
        services.member_update_profile(user=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Your profile has been saved."))
        return redirect("profile")


# --- Moderation ------------------------------------------------------------------------------


class ModeratorRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self):
        return permissions.is_moderator(self.request.user)


class ModerationQueueView(ModeratorRequiredMixin, TemplateView):
    template_name = "stakeholders/moderation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pending = (
            Stakeholder.objects.pending()
            .select_related("submitted_by")
            .prefetch_related("sectors")
            .order_by("created_at")
        )
        page = Paginator(pending, 10).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            items=[
                (stakeholder, selectors.stakeholder_likely_duplicates(stakeholder))
                for stakeholder in page.object_list
            ],
            reject_form=RejectForm(),
        )
        return context


@login_required
@require_POST
def moderate(request, pk):
    if not permissions.is_moderator(request.user):
        raise PermissionDenied
    stakeholder = get_object_or_404(Stakeholder.objects.pending(), pk=pk)
    if request.POST.get("decision") == "approve":
        services.stakeholder_publish(stakeholder=stakeholder)
        messages.success(request, _("%(name)s is published.") % {"name": stakeholder.name})
    else:
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                _("%(name)s was not rejected: please give a reason.") % {"name": stakeholder.name},
            )
            return redirect("stakeholders:moderation")
        services.stakeholder_reject(stakeholder=stakeholder, reason=form.cleaned_data["reason"])
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
    if request.method == "POST":
        services.contact_unsubscribe(contact=contact, what=what)
        return render(request, "stakeholders/unsubscribe.html", {"done": True, "what": what})
    return render(request, "stakeholders/unsubscribe.html", {"contact": contact, "what": what})
