from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alpcafes.forms import DateTimeInput
from stakeholders.models import Country, Sector, Stakeholder

from .models import DEFAULT_VALIDITY, MAX_SLOTS, MAX_TABLES, Opportunity


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OpportunityForm(forms.Form):
    """An offer or a request: what it is, whom it seeks, until when."""

    type = forms.ChoiceField(
        label=_("Type"), choices=Opportunity.Type.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("Category"), choices=Opportunity.Category.choices)
    title = forms.CharField(label=_("Title"), max_length=150)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What you offer or look for, and what a partner brings. No addresses here: "
            "interested members write to you through the portal."
        ),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries_sought = forms.MultipleChoiceField(
        label=_("Countries sought"),
        choices=Country.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: partners from anywhere."),
    )
    kinds_sought = forms.MultipleChoiceField(
        label=_("Kinds of partner sought"),
        choices=Stakeholder.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: any kind of organisation."),
    )
    expires_on = forms.DateField(label=_("Open until"), widget=DateInput())
    language = forms.ChoiceField(label=_("Language of the text"), choices=settings.LANGUAGES)

    def __init__(self, *args, opportunity: Opportunity | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if opportunity is not None and not self.is_bound:
            self.initial.update(
                type=opportunity.type,
                category=opportunity.category,
                title=opportunity.title,
                summary=opportunity.summary,
                sectors=list(opportunity.sectors.all()),
                countries_sought=opportunity.countries_sought_list,
                kinds_sought=opportunity.kinds_sought_list,
                expires_on=opportunity.expires_on,
                language=opportunity.language,
            )
        elif not self.is_bound:
            self.initial.setdefault("expires_on", timezone.localdate() + DEFAULT_VALIDITY)
            self.initial.setdefault("language", (self.initial.get("language") or "en"))

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if not today < value <= today + timedelta(days=366):
            raise forms.ValidationError(_("Choose an expiry date from tomorrow to one year ahead."))
        return value


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Passed on to the organisation without your address. If they accept, you both "
            "receive each other's name, organisation, role and e-mail address."
        ),
    )
    share_phone = forms.BooleanField(
        label=_("If they accept, also give them my phone number"), required=False
    )

    def __init__(self, *args, has_phone: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_phone:  # nothing to share: not offered
            del self.fields["share_phone"]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
    share_phone = forms.BooleanField(required=False)


class MatchmakingForm(forms.Form):
    """Turn matchmaking on: the first slot's start, how long and how many slots, how many
    tables."""

    first_start = forms.DateTimeField(
        label=_("First slot starts"),
        widget=DateTimeInput(),
        help_text=_("Central European Time."),
    )
    slot_minutes = forms.IntegerField(label=_("Minutes per slot"), min_value=5, max_value=240)
    slot_count = forms.IntegerField(label=_("Number of slots"), min_value=1, max_value=MAX_SLOTS)
    tables = forms.IntegerField(label=_("Number of tables"), min_value=1, max_value=MAX_TABLES)
    is_open = forms.BooleanField(
        label=_("Participants may request meetings"), required=False, initial=True
    )

    def clean_first_start(self):
        value = self.cleaned_data["first_start"]
        if not 2000 <= value.year <= 2100:
            raise forms.ValidationError(_("Choose a time on the AlpCafé's day."))
        return value
