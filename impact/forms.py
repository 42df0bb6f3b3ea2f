from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .selectors import Period

FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodForm(forms.Form):
    """The period of the figures and exports: ``?from=YYYY-MM-DD&to=YYYY-MM-DD``, either end
    open. An invalid period is reported and the figures fall back to the whole history."""

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # "from" is a Python keyword: the fields are named here rather than declared.
        self.fields["from"] = forms.DateField(
            label=pgettext_lazy("start of a period", "From"),
            required=False,
            input_formats=["%Y-%m-%d"],
            widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
        )
        self.fields["to"] = forms.DateField(
            label=pgettext_lazy("end of a period", "To"),
            required=False,
            input_formats=["%Y-%m-%d"],
            widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
        )
        for name in ("from", "to"):
            self.fields[name].error_messages["invalid"] = _(
                "Enter a date as year-month-day, e.g. 2026-01-31."
            )

    def _year_in_range(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Choose a year between %(first)d and %(last)d."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return value

    def clean(self):
        cleaned = super().clean()
        for name in ("from", "to"):
            if name in cleaned:
                try:
                    cleaned[name] = self._year_in_range(name)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        return cleaned

    def period(self) -> Period:
        """The chosen period; the whole history when the input is invalid or absent."""
        if not self.is_bound or not self.is_valid():
            return Period()
        return Period(self.cleaned_data.get("from"), self.cleaned_data.get("to"))


def period_form(query) -> PeriodForm:
    """The form bound to the query string when it names a period, else unbound."""
    data = {name: query.get(name, "") for name in ("from", "to")}
    return PeriodForm(data if any(data.values()) else None)
