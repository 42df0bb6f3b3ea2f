"""The browse list's search and facets (django-filter): words (the registry's search), type,
category, sector, country (of the organisation), kind of partner sought, open or closed."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stakeholders.models import Country, Sector, Stakeholder

from . import selectors
from .models import Opportunity

STATUS_CHOICES = [
    ("open", pgettext_lazy("opportunities", "Open")),
    ("closed", pgettext_lazy("opportunities", "Closed or expired")),
]


class OpportunityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Words in the opportunities…")}
        ),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=Opportunity.Type.choices, empty_label=_("Offers and requests")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Opportunity.Category.choices, empty_label=_("All categories")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        field_name="sectors",
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=_("All sectors"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="stakeholder__country",
        choices=Country.choices,
        empty_label=_("All countries"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of partner sought"),
        method="filter_kind",
        choices=Stakeholder.Kind.choices,
        empty_label=_("Any kind"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_status", choices=STATUS_CHOICES, empty_label=None
    )

    class Meta:
        model = Opportunity
        fields = ["q", "type", "category", "sector", "country", "kind", "status"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = "open"
        super().__init__(data, *args, **kwargs)
        for name, field in self.form.fields.items():
            css = "form-control" if isinstance(field.widget, forms.TextInput) else "form-select"
            if self.form.is_bound and name in self.form.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css

    def filter_search(self, queryset, name, value):
        return selectors.opportunities_search(queryset, value)

    def filter_kind(self, queryset, name, value):
        # An opportunity that names no kind takes any.
        return queryset.filter(Q(kinds_sought="") | Q(kinds_sought__contains=f"|{value}|"))

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == "closed":
            return queryset.filter(
                Q(state=Opportunity.State.CLOSED)
                | Q(state=Opportunity.State.PUBLISHED, expires_on__lt=today)
            )
        return queryset.filter(state=Opportunity.State.PUBLISHED, expires_on__gte=today)

    @property
    def qs(self):
        queryset = super().qs.distinct() if self.form.is_valid() else self.queryset.none()
        data = self.form.cleaned_data if self.form.is_valid() else {}
        if data.get("q") and "rank" in queryset.query.annotations:
            return queryset.order_by("-rank", "-published_at", "-pk")
        return queryset.order_by("-published_at", "-pk")
