"""The directory's filters (django-filter), shared by the directory, the map and the exports."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Country, Sector, Stakeholder

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class StakeholderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, place, sector, topic…")}
        ),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=Country.choices, empty_label=_("All countries")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Stakeholder.Kind.choices, empty_label=_("All kinds")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        field_name="sectors",
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=_("All sectors"),
    )
    partner = django_filters.ChoiceFilter(
        label=_("Project partner"), choices=YES_NO, method="filter_partner", empty_label=_("Any")
    )
    involved = django_filters.ChoiceFilter(
        label=_("Took part in an AlpCafé"),
        choices=YES_NO,
        method="filter_involved",
        empty_label=_("Any"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        choices=[
            ("relevance", _("Relevance")),
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("newest", _("Newest first")),
            ("country", _("Country")),
        ],
        empty_label=None,
    )

    class Meta:
        model = Stakeholder
        fields = ["q", "country", "kind", "sector", "partner", "involved"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-control" if isinstance(field.widget, forms.TextInput) else "form-select"
            field.widget.attrs["class"] = css
        if self.form.is_bound and self.form.errors:
            for name in self.form.errors:
                if name in self.form.fields:
                    self.form.fields[name].widget.attrs["class"] += " is-invalid"

    def filter_search(self, queryset, name, value):
        return selectors.stakeholders_search(queryset, value)

    def filter_partner(self, queryset, name, value):
        return queryset.filter(is_partner=(value == "yes"))

    def filter_involved(self, queryset, name, value):
        involved = Stakeholder.objects.involved().values("pk")
        return (
            queryset.filter(pk__in=involved)
            if value == "yes"
            else queryset.exclude(pk__in=involved)
        )

    def filter_sort(self, queryset, name, value):
        # Applied in qs below, after every other filter, so that rank exists when searching.
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        data = self.form.cleaned_data if self.form.is_valid() else {}
        sort = data.get("sort") or ("relevance" if data.get("q") else "name")
        searching = "rank" in queryset.query.annotations
        ordering = {
            "relevance": ["-rank", "name"] if searching else ["name"],
            "name": ["name"],
            "-name": ["-name"],
            "newest": ["-created_at", "name"],
            "country": ["country", "name"],
        }[sort]
        return queryset.order_by(*ordering, "pk")
