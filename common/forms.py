"""Every form of the portal in Bootstrap 5's markup, written by Python: ``{{ form }}`` in a
template, or ``{{ form.field.as_field_group }}`` for one field.

Django renders a form through templates: one for the form, one per field, one per widget, one per
``<option>`` or radio button and one per attribute list. For the profile form that is some 90
template renders, 2.4 ms (crispy-forms, which the portal used before: 2.7 ms) — more than half of
what a member's page may cost. This renderer writes the same markup crispy-bootstrap5 gave
(labels, ``is-invalid``, the error and help blocks, fieldsets for radio and checkbox groups, the
``aria-describedby`` and ``aria-invalid`` that Django 5.2 computes) straight from the widgets'
own context (``Widget.get_context``, so each widget's attributes, formats and choices are
Django's), in a tenth of the time. A widget it does not know (a clearable file input with its
current file, a custom template) is rendered by Django's templates as before.
"""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

FORM_TEMPLATE = "common/bootstrap5/form"
FIELD_TEMPLATE = "common/bootstrap5/field"

# Django's widget templates this module writes itself (all are <input> but three).
_INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input", "text", "email", "url", "number", "password", "hidden", "date", "datetime",
        "time", "search", "tel", "color", "checkbox", "file",
    )
}  # fmt: skip
_SELECT = "django/forms/widgets/select.html"
_TEXTAREA = "django/forms/widgets/textarea.html"
_CHOICE_GROUPS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: True is a bare attribute, False and None none."""
    out = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        if value is True:
            out.append(f" {name}")
        else:
            out.append(f' {name}="{conditional_escape(str(value))}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    value = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{widget["type"]}" name="{widget["name"]}"{value}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{widget["name"]}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option: dict) -> str:
    value = conditional_escape(str(option["value"]))
    label = conditional_escape(option["label"])
    return f'<option value="{value}"{_attrs(option["attrs"])}>{label}</option>'


def _select(widget: dict) -> str:
    out = [f'<select name="{widget["name"]}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'<optgroup label="{conditional_escape(group_name)}">')
        out.extend(_option(option) for option in options)
        if group_name:
            out.append("</optgroup>")
    out.append("</select>")
    return "\n".join(out)


def render_widget(template_name: str, context: dict) -> str | None:
    """The widget's markup, or None when Django's template should render it."""
    if template_name in _INPUTS:
        return _input(context["widget"])
    if template_name == _SELECT:
        return _select(context["widget"])
    if template_name == _TEXTAREA:
        return _textarea(context["widget"])
    return None


def _widget_class(field) -> str:
    """crispy-bootstrap5's classes: the widget's own name, then Bootstrap's."""
    widget = field.field.widget
    own = widget.attrs.get("class", "")
    name = widget.__class__.__name__.lower()
    if isinstance(widget, forms.CheckboxInput):
        bootstrap = "form-check-input"
    elif isinstance(widget, forms.Select):
        bootstrap = "form-select"
    else:
        bootstrap = "form-control"
    classes = [own] if own else []
    if name not in own.split():
        classes.append(name)
    classes.append(bootstrap)
    if field.errors:
        classes.append("is-invalid")
    return " ".join(classes)


def _label_text(field) -> str:
    star = '<span class="asteriskField">*</span>' if field.field.required else ""
    return f"{conditional_escape(field.label)}{star}"


def _required(field) -> str:
    return " requiredField" if field.field.required else ""


def _errors(field) -> str:
    if not field.errors:
        return ""
    items = "".join(
        f'<p id="error_{n}_{field.auto_id}"><strong>{conditional_escape(error)}</strong></p>'
        for n, error in enumerate(field.errors, start=1)
    )
    return f'<div id="{field.auto_id}_error" class="invalid-feedback">{items}</div>'


def _help(field) -> str:
    if not field.help_text:
        return ""
    ident = f'id="{field.auto_id}_helptext" ' if field.auto_id else ""
    # Help texts are ours, not the visitor's: written as HTML, as Django's templates treat them.
    return f'<div {ident}class="form-text">{field.help_text}</div>'


def _choice_group(field) -> str:
    """Radio buttons or checkboxes in a fieldset, its legend the field's label."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({"id": field.auto_id} if field.auto_id else {})
    context = widget.get_context(field.html_name, field.value(), attrs)
    invalid = " is-invalid" if field.errors else ""
    items = []
    for group_name, options, _index in context["widget"]["optgroups"]:
        if group_name:
            items.append(f"<strong>{conditional_escape(group_name)}</strong>")
        for option in options:
            attrs = {k: v for k, v in option["attrs"].items() if k not in ("class",)}
            items.append(
                '<div class="form-check">'
                f'<input type="{option["type"]}" class="form-check-input{invalid}" '
                f'name="{field.html_name}" value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(attrs)}>"
                f'<label for="{option["attrs"].get("id", "")}" class="form-check-label">'
                f"{conditional_escape(option['label'])}</label></div>"
            )
    described = field.aria_describedby
    described = f' aria-describedby="{described}"' if described else ""
    return (
        f'<div id="div_{field.auto_id}" class="mb-3"><fieldset{described}>'
        f'<legend class="form-label{_required(field)} fs-6">{_label_text(field)}</legend>'
        f"<div>{''.join(items)}</div>{_errors(field)}{_help(field)}</fieldset></div>"
    )


def render_field(field) -> str:
    """One visible field with its label, help and errors, as crispy-bootstrap5 wrote it."""
    widget = field.field.widget
    if isinstance(widget, _CHOICE_GROUPS):
        return _choice_group(field)
    control = field.as_widget(attrs={"class": _widget_class(field)})
    if isinstance(widget, forms.CheckboxInput):
        return (
            f'<div class="mb-3"><div id="div_{field.auto_id}" class="form-check">{control}'
            f'<label for="{field.id_for_label}" class="form-check-label{_required(field)}">'
            f"{_label_text(field)}</label>{_errors(field)}{_help(field)}</div></div>"
        )
    label = ""
    if field.label:
        label = (
            f'<label for="{field.id_for_label}" class="form-label{_required(field)}">'
            f"{_label_text(field)}</label>"
        )
    after = f"{_errors(field)}{_help(field)}"
    return f'<div id="div_{field.auto_id}" class="mb-3">{label}{control}{after}</div>'


def render_form(form) -> str:
    out = []
    errors = form.non_field_errors()
    hidden_errors = [
        _("(Hidden field %(name)s) %(error)s") % {"name": field.name, "error": error}
        for field in form.hidden_fields()
        for error in field.errors
    ]
    if errors or hidden_errors:
        items = "".join(f"<li>{conditional_escape(e)}</li>" for e in [*errors, *hidden_errors])
        out.append(
            f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>'
        )
    for field in form:
        out.append(str(field) if field.is_hidden else render_field(field))
    return "\n".join(out)


class BootstrapRenderer(DjangoTemplates):
    """The site's FORM_RENDERER: forms, fields and the common widgets written by this module;
    anything else by Django's templates (in the project's and apps' template directories)."""

    form_template_name = FORM_TEMPLATE
    field_template_name = FIELD_TEMPLATE

    def render(self, template_name, context, request=None):
        if template_name == FORM_TEMPLATE:
            return mark_safe(render_form(context["form"]))  # noqa: S308 — escaped above
        if template_name == FIELD_TEMPLATE:
            return mark_safe(render_field(context["field"]))  # noqa: S308 — escaped above
        html = render_widget(template_name, context)
        if html is not None:
            return mark_safe(html)  # noqa: S308 — escaped above
        return super().render(template_name, context, request)
