from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stakeholders.models import ORGANISERS_GROUP, User

from .models import AlpCafe


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AlpCafeForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https"
    )

    class Meta:
        model = AlpCafe
        fields = [
            "title",
            "theme",
            "description",
            "agenda",
            "format",
            "venue",
            "address",
            "city",
            "country",
            "latitude",
            "longitude",
            "online_url",
            "starts_at",
            "ends_at",
            "registration_deadline",
            "capacity",
            "language",
            "host",
            "reminder_hours",
            "state",
            "organisers",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_deadline": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "organisers": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "starts_at": _("In the portal's time zone (Central European Time)."),
            "registration_deadline": _("Empty: registration stays open until the start."),
            "organisers": _("Everyone ticked manages this AlpCafé with you."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Co-organisers are members of the Organisers group (and whoever organises it already).
        current = self.instance.organisers.all() if self.instance.pk else User.objects.none()
        self.fields["organisers"].queryset = (
            User.objects.filter(Q(groups__name=ORGANISERS_GROUP) | Q(pk__in=current))
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["organisers"].label_from_instance = lambda user: user.display_name
        self.fields["organisers"].required = False
        # Held and cancelled are set by their own actions, which also send mail.
        self.fields["state"].choices = [
            (AlpCafe.State.DRAFT, AlpCafe.State.DRAFT.label),
            (AlpCafe.State.SCHEDULED, AlpCafe.State.SCHEDULED.label),
        ]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        deadline = data.get("registration_deadline")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        if deadline and starts and deadline > starts:
            self.add_error("registration_deadline", _("The deadline must be before the start."))
        fmt = data.get("format")
        if fmt in (AlpCafe.Format.ONLINE, AlpCafe.Format.HYBRID) and not data.get("online_url"):
            self.add_error("online_url", _("An online or hybrid AlpCafé needs its meeting link."))
        if fmt in (AlpCafe.Format.IN_PERSON, AlpCafe.Format.HYBRID) and not data.get("venue"):
            self.add_error("venue", _("An AlpCafé in person needs a venue."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return data


class OutcomesForm(forms.ModelForm):
    class Meta:
        model = AlpCafe
        fields = ["outcomes_summary", "needs_heard", "expectations_heard"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class WalkInForm(forms.Form):
    """Someone who came without registering, added at the door."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Optional. If we know it, the person is recognised; nobody is mailed."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
