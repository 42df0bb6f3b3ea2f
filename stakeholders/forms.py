from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Contact, DigestFrequency, Sector, Stakeholder, User


class StakeholderRegistrationForm(forms.ModelForm):
    """What a member tells us about their organisation; a moderator checks it before publishing."""

    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # A URL typed without a scheme is taken as https (Django 6's default, chosen now).
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    role = forms.CharField(
        label=_("Your role in the organisation"),
        max_length=100,
        required=False,
        help_text=_("For example: cluster manager, CEO, project officer."),
    )

    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "kind",
            "country",
            "region",
            "city",
            "website",
            "description",
            "sectors",
            "latitude",
            "longitude",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "latitude": _("Optional: where to put the pin on the map, e.g. 46.49835."),
            "longitude": _("Optional, e.g. 11.35479."),
        }

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class StakeholderProfileForm(StakeholderRegistrationForm):
    """The public profile, as its own members edit it."""

    role = None


class RegistrationDuplicateForm(forms.Form):
    """Shown with the likely duplicates of an organisation being registered."""

    not_a_duplicate = forms.BooleanField(
        label=_("None of these is my organisation: register it anyway"), required=False
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("A word to the organisation (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example your role. Your e-mail address is not shown to them."),
    )


class ContactStakeholderForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Your name and e-mail address are shown to the recipients so that they can answer you."
        ),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The member who registered the organisation receives this text."),
    )


class SignupNameForm(forms.Form):
    """The name asked at sign-up, beside allauth's e-mail and password, and the acceptance of the
    community rules and privacy notice (their version and the time are recorded)."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    accept_terms = forms.BooleanField(
        label=_("I accept the community rules and have read the privacy notice"),
        error_messages={"required": _("Please accept the community rules to sign up.")},
    )

    field_order = ["first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_terms"].help_text = format_html(
            '<a href="{}" target="_blank">{}</a> · <a href="{}" target="_blank">{}</a>',
            reverse("community_rules"),
            _("Community rules"),
            reverse("privacy"),
            _("Privacy notice"),
        )

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.terms_version = settings.LEGAL["version"]
        user.terms_accepted_at = timezone.now()
        user.save(update_fields=["first_name", "last_name", "terms_version", "terms_accepted_at"])


class MailPreferencesForm(forms.Form):
    """A contact's consents, digest and language: on the profile, and from the signed link in
    every mail for contacts without an account. Opt-ins are never ticked for them."""

    language = forms.ChoiceField(
        label=_("Language for e-mail"), choices=Contact._meta.get_field("language").choices
    )
    listing_consent = forms.BooleanField(
        label=_("Show my name and role on my organisation's public page"), required=False
    )
    mail_consent = forms.BooleanField(
        label=_("Send me invitations and messages from other members by e-mail"),
        required=False,
        help_text=_("Your address is never shown; you can withdraw at any time."),
    )

    digest_frequency = forms.ChoiceField(
        label=_("E-mail digest of what is new"),
        choices=DigestFrequency.choices,
        initial=DigestFrequency.NEVER,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Sent only when something is new, and only with the consent to receive mail."),
    )

    def clean_digest_frequency(self):
        return self.cleaned_data["digest_frequency"] or DigestFrequency.NEVER

    @classmethod
    def initial_for_contact(cls, contact: Contact) -> dict:
        return {
            "language": contact.language,
            "listing_consent": contact.is_listed,
            "mail_consent": contact.accepts_mail,
            "digest_frequency": contact.digest_frequency,
        }


class ProfileForm(MailPreferencesForm):
    """The member's own data and consents."""

    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("Only moderators and organisers see it; it is never published."),
    )

    moderation_mail = forms.BooleanField(
        label=_("Mail me when registrations, posts or reports wait for moderation"),
        required=False,
        help_text=_("At most one mail every half hour, and only when something new arrived."),
    )

    field_order = [
        "first_name",
        "last_name",
        "role",
        "phone",
        "language",
        "listing_consent",
        "mail_consent",
        "digest_frequency",
        "moderation_mail",
    ]

    def __init__(self, *args, moderator: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not moderator:
            del self.fields["moderation_mail"]

    @classmethod
    def initial_for(cls, *, user: User, contact: Contact) -> dict:
        # A claimed contact keeps the name a partner mapped, until the member changes it.
        return {
            "first_name": contact.first_name or user.first_name,
            "last_name": contact.last_name or user.last_name,
            "role": contact.role,
            "phone": contact.phone,
            "moderation_mail": contact.moderation_mail,
            **cls.initial_for_contact(contact),
        }


class AccountDeleteForm(forms.Form):
    """Deleting an account is confirmed with its password."""

    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class ContactEraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, erase my name, address and everything the portal holds about me"),
    )
