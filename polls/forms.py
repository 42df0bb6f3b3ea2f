from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alpcafes.forms import DateTimeInput

from .models import MAX_OPTIONS, MIN_OPTIONS, PollAnswer

#: Candidates and closing times at most this far ahead.
HORIZON_DAYS = 2 * 365


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class PollForm(forms.Form):
    """Up to eight candidates, each a day with a start and an end time (in the portal's time zone),
    and when the poll closes. Empty rows are left out."""

    closes_at = forms.DateTimeField(
        label=_("The poll closes"),
        widget=DateTimeInput(),
        help_text=_("Before the first candidate. Times are Central European Time."),
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_OPTIONS + 1):
            self.fields[f"day_{i}"] = forms.DateField(
                label=_("Date"), required=False, widget=DateInput()
            )
            self.fields[f"starts_{i}"] = forms.TimeField(
                label=pgettext_lazy("start of a time range", "From"),
                required=False,
                widget=TimeInput(),
            )
            self.fields[f"ends_{i}"] = forms.TimeField(
                label=pgettext_lazy("end of a time range", "To"), required=False, widget=TimeInput()
            )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
        if not self.is_bound:
            for i, option in enumerate(options, start=1):
                start = timezone.localtime(option.starts_at)
                end = timezone.localtime(option.ends_at)
                self.initial.update(
                    {f"day_{i}": start.date(), f"starts_{i}": start.time(), f"ends_{i}": end.time()}
                )

    def full_clean(self):
        super().full_clean()
        self.mark_errors()

    def mark_errors(self):
        """Fields with an error say so to the eye and to screen readers."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = "form-control is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}_error"

    @property
    def rows(self):
        """The candidate rows for the template: (number, [day, starts, ends])."""
        return [
            (i, [self[f"day_{i}"], self[f"starts_{i}"], self[f"ends_{i}"]])
            for i in range(1, MAX_OPTIONS + 1)
        ]

    def clean_closes_at(self):
        value = self.cleaned_data["closes_at"]
        now = timezone.now()
        if not now.year - 1 <= value.year <= now.year + 3 or not now < value:
            raise forms.ValidationError(_("The poll must close in the future."))
        return value

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        last = today + timedelta(days=HORIZON_DAYS)
        candidates, seen = [], set()
        for i in range(1, MAX_OPTIONS + 1):
            day, starts, ends = data.get(f"day_{i}"), data.get(f"starts_{i}"), data.get(f"ends_{i}")
            if any(f"{name}_{i}" in self.errors for name in ("day", "starts", "ends")):
                continue
            if day is None and starts is None and ends is None:
                continue
            if day is None or starts is None or ends is None:
                self.add_error(f"day_{i}", _("Give the date, the start and the end."))
                continue
            if not today <= day <= last:
                self.add_error(f"day_{i}", _("Choose a date from today to two years ahead."))
                continue
            if ends <= starts:
                self.add_error(f"ends_{i}", _("The end must come after the start."))
                continue
            zone = timezone.get_current_timezone()
            start = timezone.make_aware(datetime.combine(day, starts), zone)
            end = timezone.make_aware(datetime.combine(day, ends), zone)
            if start <= timezone.now():
                self.add_error(f"starts_{i}", _("This time has passed."))
                continue
            if start in seen:
                self.add_error(f"day_{i}", _("This candidate is already in the list."))
                continue
            seen.add(start)
            candidates.append((start, end))
        if self.errors:
            return data
        if not MIN_OPTIONS <= len(candidates) <= MAX_OPTIONS:
            raise forms.ValidationError(
                _("Propose between %(min)d and %(max)d dates.")
                % {"min": MIN_OPTIONS, "max": MAX_OPTIONS}
            )
        closes_at = data.get("closes_at")
        if closes_at and closes_at > min(start for start, _end in candidates):
            self.add_error("closes_at", _("The poll must close before the first candidate."))
        data["candidates"] = candidates
        return data


class VoteForm(forms.Form):
    """Yes, if need be or no for each candidate."""

    def __init__(self, *args, options=(), answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        answers = answers or {}
        self.options = list(options)
        for option in self.options:
            self.fields[f"option_{option.pk}"] = forms.ChoiceField(
                choices=PollAnswer.Choice.choices,
                widget=forms.RadioSelect,
                initial=answers.get(option.pk),
                error_messages={"required": _("Answer for this date.")},
            )

    @property
    def rows(self):
        return [(option, self[f"option_{option.pk}"]) for option in self.options]

    @property
    def choices(self) -> dict[int, str]:
        return {option.pk: self.cleaned_data[f"option_{option.pk}"] for option in self.options}
