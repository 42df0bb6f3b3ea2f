"""Forms of the registry's admin: the stakeholder change form and the intermediate pages."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.csvimport import UploadForm

from . import importing, services
from .models import Stakeholder


def https_formfield(db_field, **kwargs):
    """Form fields that complete an address typed without a scheme with https://."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class StakeholderAdminForm(forms.ModelForm):
    slug = forms.SlugField(
        label=_("slug"),
        max_length=220,
        required=False,
        help_text=_("The address of the public profile. Left empty, it is made from the name."),
    )

    class Meta:
        model = Stakeholder
        formfield_callback = https_formfield
        # The admin's fieldsets decide what the page shows; this is what the form may change.
        fields = [
            "name",
            "slug",
            "kind",
            "sectors",
            "website",
            "description",
            "country",
            "region",
            "city",
            "latitude",
            "longitude",
            "state",
            "rejection_reason",
            "is_partner",
            "origin",
            "submitted_by",
        ]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in services.RESERVED_SLUGS:
            raise forms.ValidationError(
                _("“%(slug)s” is the address of a page of the directory; choose another."),
                params={"slug": slug},
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("state") == Stakeholder.State.REJECTED
            and not (cleaned.get("rejection_reason") or "").strip()
        ):
            self.add_error("rejection_reason", _("Please give the reason for the rejection."))
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("Whoever submitted a stakeholder receives this reason by e-mail."),
        error_messages={"required": _("Please give the reason for the rejection.")},
    )


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        label=_("Stakeholder to keep"),
        queryset=Stakeholder.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the stakeholder to keep.")},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = queryset


class ImportUploadForm(UploadForm):
    @property
    def max_bytes(self) -> int:
        return importing.MAX_BYTES
