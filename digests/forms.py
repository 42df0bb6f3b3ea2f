from django import forms
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Contact, DigestFrequency


class DigestPreviewForm(forms.Form):
    email = forms.EmailField(label=_("Contact's e-mail address"))
    frequency = forms.ChoiceField(
        label=_("Frequency"),
        choices=[(DigestFrequency.WEEKLY, _("Weekly")), (DigestFrequency.MONTHLY, _("Monthly"))],
    )
    period_start = forms.DateField(
        label=_("Period starting"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_email(self):
        contact = Contact.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if contact is None:
            raise forms.ValidationError(_("No contact has this address."))
        self.contact = contact
        return contact.email
