"""The blog's search and filters (django-filter): words, kind, topic, tag, and the order."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Sector

from . import selectors
from .models import Post, Tag

SORTS = [
    ("new", _("Newest first")),
    ("supports", _("Most supported")),
    ("relevance", _("Relevance")),
]


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words in the posts…")}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Post.Kind.choices, empty_label=_("All kinds")
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=_("All topics"),
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"),
        field_name="tags",
        queryset=Tag.objects.all(),
        to_field_name="slug",
        widget=forms.HiddenInput,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), method="filter_sort", choices=SORTS, empty_label=None
    )

    class Meta:
        model = Post
        fields = ["q", "kind", "topic", "tag"]

    def __init__(self, *args, default_sort: str = "new", **kwargs):
        super().__init__(*args, **kwargs)
        self.default_sort = default_sort
        for name, field in self.form.fields.items():
            css = "form-control" if isinstance(field.widget, forms.TextInput) else "form-select"
            if self.form.is_bound and name in self.form.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css

    def filter_search(self, queryset, name, value):
        return selectors.posts_search(queryset, value)

    def filter_sort(self, queryset, name, value):
        # Applied in qs below, after every other filter, so that rank exists when searching.
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        data = self.form.cleaned_data if self.form.is_valid() else {}
        sort = data.get("sort") or ("relevance" if data.get("q") else self.default_sort)
        if sort == "relevance" and "rank" not in queryset.query.annotations:
            sort = self.default_sort
        ordering = {
            "relevance": ["-rank", "-published_at"],
            "new": ["-published_at"],
            "supports": ["-support_count", "-published_at"],
        }[sort]
        return selectors.with_counts(queryset).order_by(*ordering, "-pk")
