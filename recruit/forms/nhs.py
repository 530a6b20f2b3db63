"""Map WTForms fields onto NHS.UK design-system macro parameters.

No maintained adapter exists for NHS.UK (GOV.UK has ``govuk-frontend-wtf``), so this small one is
written by hand. :func:`nhs_field_params` returns the macro to call and its parameters; the
``templates/_forms.html`` macro ``field()`` renders it. User text goes only into ``text`` options,
never ``html``, so autoescaping always applies.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import Field
from wtforms.fields import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    FileField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TelField,
    TextAreaField,
)

from recruit.forms.fields import RepeatedSelectField

# Beyond this many options a select's options are written here in one pass, not by the NHS macro
# (about 40 µs an option there: a filter listing 2,000 partners took a tenth of a second).
LONG_SELECT = 50

INPUT_TYPES: dict[type, str] = {
    EmailField: "email",
    PasswordField: "password",
    TelField: "tel",
    DateField: "date",
    IntegerField: "text",
    DecimalField: "text",
    FileField: "file",
}


def _base(field: Field) -> dict[str, Any]:
    params: dict[str, Any] = {"id": field.id, "name": field.name}
    if field.description:
        params["hint"] = {"text": str(field.description)}
    if field.errors:
        params["errorMessage"] = {"text": str(field.errors[0])}
    return params


def _macro_for(field: Field) -> str:
    if isinstance(field, RepeatedSelectField):
        return "selects"
    if isinstance(field, RadioField):
        return "radios"
    if isinstance(field, SelectMultipleField):
        return "checkboxes"
    if isinstance(field, SelectField):
        return "select"
    if isinstance(field, BooleanField):
        return "checkbox"
    if isinstance(field, TextAreaField):
        return "textarea"
    return "input"


def _choices(field: Field, checked_key: str) -> list[dict[str, Any]]:
    items = []
    for value, label, selected, _render_kw in field.iter_choices():
        items.append({"value": value, "text": str(label), checked_key: bool(selected)})
    return items


def _long_list(params: dict[str, Any]) -> dict[str, Any]:
    """Take a long select's items out of the macro's hands: ``options`` holds them as HTML."""
    items = params.get("items") or []
    if len(items) <= LONG_SELECT:
        return params
    options = "".join(
        f'<option value="{escape(item["value"])}"{" selected" if item.get("selected") else ""}>'
        f'{escape(item["text"])}</option>' for item in items)
    # Safe: every value and label above went through escape().
    return {**params, "items": [], "options": Markup(options)}  # noqa: S704


def with_options(select_html: Markup, options: Markup | None) -> Markup:
    """The NHS macro's select with the options :func:`_long_list` wrote put inside it."""
    if not options:
        return select_html
    head, tail = select_html.rsplit("</select>", 1)
    return head + options + Markup("</select>") + tail


def nhs_field_params(field: Field, **overrides: Any) -> dict[str, Any]:
    """Return ``{"macro": name, "params": {...}}`` for rendering ``field`` with an NHS macro.

    :param overrides: extra macro parameters (``classes``, ``autocomplete``, ``inputmode``…).
    """
    macro = _macro_for(field)
    params = _base(field)
    label = {"text": str(field.label.text)}
    if macro == "selects":
        chosen = [value for value, _label, selected, _kw in field.iter_choices() if selected]
        slots = max(field.slots, len(chosen) + 1)
        params["legend"] = label["text"]
        params["selects"] = [
            {
                "id": field.id if index == 0 else f"{field.id}-{index + 1}",
                "name": field.name,
                "label": {"text": f"{field.slot_label} {index + 1}"},
                "items": [{"value": "", "text": "None"}] + [
                    {"value": value, "text": str(text),
                     "selected": index < len(chosen) and chosen[index] == value}
                    for value, text, _selected, _kw in field.iter_choices()
                ],
            }
            for index in range(slots)
        ]
        params["selects"] = [_long_list(select) for select in params["selects"]]
        params.update(overrides)
        return {"macro": macro, "params": params}
    if macro in ("radios", "checkboxes", "checkbox"):
        del params["id"]  # the first item takes the field's id; the container needs none
    if macro in ("radios", "checkboxes"):
        params["idPrefix"] = field.id
        params["fieldset"] = {"legend": {"text": label["text"], "size": "s"}}
        key = "checked"
        params["items"] = _choices(field, key)
    elif macro == "checkbox":
        macro = "checkboxes"
        params["idPrefix"] = field.id
        params["items"] = [{"value": "y", "text": label["text"], "checked": bool(field.data)}]
    elif macro == "select":
        params["label"] = label
        params["items"] = _choices(field, "selected")
        params = _long_list(params)
    else:
        params["label"] = label
        if macro == "input":
            params["type"] = INPUT_TYPES.get(type(field), "text")
            if isinstance(field, IntegerField):
                params["inputmode"] = "numeric"
                params.setdefault("classes", "nhsuk-input--width-5")
            if not isinstance(field, PasswordField | FileField):
                params["value"] = _value(field)
        else:
            params["value"] = field.data or ""
    params.update(overrides)
    return {"macro": macro, "params": params}


def _value(field: Field) -> str:
    if isinstance(field, DateField) and field.data:
        return field.data.isoformat()
    value = field._value()  # WTForms' own text for the field, raw input kept on error
    return "" if value is None else str(value)


def error_list(form) -> list[dict[str, str]]:
    """The error-summary items for a form: one link per field in error, in form order."""
    items = []
    for field in form:
        if field.errors:
            # The NHS macros give the first radio or checkbox the bare id, so one anchor fits all.
            items.append({"text": str(field.errors[0]), "href": f"#{field.id}"})
    for message in getattr(form, "form_errors", []):
        items.append({"text": str(message), "href": "#main-form"})
    return items
