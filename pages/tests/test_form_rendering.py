"""Forms are written by common/forms.py, not by Django's widget templates: what a browser submits
and what assistive technology reads must be what Django's own rendering gives — every control
with the same name, type, value, checked or selected state and attributes, each label tied to its
control, errors and help tied with aria-describedby — and every value escaped."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.renderers import DjangoTemplates

from alpcafes.forms import DateTimeInput
from common.forms import BootstrapRenderer

EVIL = '"><script>alert(1)</script>'


class EveryWidget(forms.Form):
    name = forms.CharField(max_length=20, help_text="Your <em>full</em> name")
    email = forms.EmailField(required=False)
    site = forms.URLField(required=False, assume_scheme="https")
    count = forms.IntegerField(min_value=1, required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.DateTimeField(required=False, widget=DateTimeInput())
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    country = forms.ChoiceField(
        choices=[("", "—"), ("Alps", [("AT", "Austria"), ("CH", "Switzerland")]), ("FR", "France")]
    )
    languages = forms.MultipleChoiceField(
        required=False, choices=[("de", "German"), ("fr", "French"), ("it", "Italian")]
    )
    frequency = forms.ChoiceField(
        widget=forms.RadioSelect, choices=[("never", "Never"), ("weekly", "Weekly")]
    )
    sectors = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("ict", "ICT"), ("wood", "Wood & timber")],
    )
    consent = forms.BooleanField(required=False, help_text="You may withdraw it.")
    upload = forms.FileField(required=False)
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        if self.cleaned_data.get("name") == "twice":
            raise forms.ValidationError("Not twice.")
        return self.cleaned_data


class _Controls(HTMLParser):
    """The form controls and labels of a piece of HTML, as a browser would see them."""

    def __init__(self):
        super().__init__()
        self.controls, self.labels, self.ids, self.text = [], [], set(), []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        attrs.pop("class", None)  # Bootstrap's classes are this renderer's business
        if tag in ("input", "select", "textarea"):
            control = (tag, tuple(sorted(attrs.items())))
            if tag == "select":
                self._select = [control, []]
            elif tag == "textarea":
                self._textarea = [control, ""]
            else:
                self.controls.append(control)
        elif tag == "option" and self._select is not None:
            self._select[1].append(tuple(sorted(attrs.items())))
        elif tag in ("label", "legend"):
            self.labels.append(attrs.get("for"))

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            self.controls.append((*self._select[0], tuple(self._select[1])))
            self._select = None
        if tag == "textarea" and self._textarea is not None:
            self.controls.append((*self._textarea[0], self._textarea[1].strip()))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        self.text.append(data.strip())


def _parse(html) -> _Controls:
    parser = _Controls()
    parser.feed(str(html))
    return parser


def _both(form_factory):
    ours = form_factory()
    ours.renderer = BootstrapRenderer()
    django = form_factory()
    django.renderer = DjangoTemplates()
    return _parse(ours), _parse(django), str(ours)


CASES = {
    "empty": lambda: EveryWidget(),
    "initial": lambda: EveryWidget(
        initial={
            "name": EVIL,
            "country": "CH",
            "languages": ["de", "it"],
            "frequency": "weekly",
            "sectors": ["wood"],
            "consent": True,
            "body": "</textarea><b>x</b>",
            "token": EVIL,
        }
    ),
    "invalid": lambda: EveryWidget(
        data={
            "name": "x" * 30,
            "email": "not-an-address",
            "count": "0",
            "country": "XX",
            "frequency": "",
            "starts": "2026-12-24T18:00",
            "body": EVIL,
            "sectors": ["ict"],
        },
        files={"upload": SimpleUploadedFile("a.txt", b"")},
    ),
    "non-field error": lambda: EveryWidget(
        data={"name": "twice", "country": "FR", "frequency": "never"}
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_every_control_is_the_one_django_renders(case):
    ours, django, _ = _both(CASES[case])
    assert ours.controls == django.controls
    assert len(ours.controls) == 13 + 2 + 2  # thirteen fields, two radio buttons, two boxes


@pytest.mark.parametrize("case", CASES)
def test_labels_errors_and_help_are_tied_to_their_controls(case):
    ours, _, html = _both(CASES[case])
    for target in filter(None, ours.labels):
        assert target in ours.ids, target
    for _tag, attrs, *_ in ours.controls:
        for described in dict(attrs).get("aria-describedby", "").split():
            assert described in ours.ids, described
    assert "<script>" not in html and "</textarea><b>" not in html
    assert "Your <em>full</em> name" in html  # help texts are ours: written as HTML


def test_errors_are_shown_with_each_field_and_above_the_form():
    form = CASES["invalid"]()
    form.renderer = BootstrapRenderer()
    html = str(form)
    assert html.count('class="invalid-feedback"') == len(form.errors)
    assert 'id="id_email_error"' in html and "Enter a valid email address." in html
    assert 'aria-invalid="true"' in html and "is-invalid" in html
    form = CASES["non-field error"]()
    form.renderer = BootstrapRenderer()
    assert '<div class="alert alert-block alert-danger"><ul class="m-0"><li>Not twice.' in str(form)


def test_a_field_alone_and_the_site_renderer(settings):
    assert settings.FORM_RENDERER == "common.forms.BootstrapRenderer"
    form = EveryWidget()
    html = form["consent"].as_field_group()
    assert 'class="checkboxinput form-check-input"' in html and "form-check-label" in html
    assert "You may withdraw it." in html


def test_a_widget_it_does_not_write_is_rendered_by_djangos_template():
    class WithFile(forms.Form):
        picture = forms.ImageField(required=False)

    class Stored:
        url = "/media/x.png"
        name = "x.png"

        def __str__(self):
            return self.name

    form = WithFile(initial={"picture": Stored()})
    html = str(form)
    assert 'href="/media/x.png"' in html and 'name="picture-clear"' in html
