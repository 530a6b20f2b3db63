"""The WTForms → NHS.UK macro adapter, and escaping of user text through the macros."""

from __future__ import annotations

from flask import render_template_string
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateField, IntegerField, SelectMultipleField, StringField
from wtforms.validators import InputRequired

from recruit.forms.fields import EnumSelectField
from recruit.forms.nhs import error_list, nhs_field_params
from recruit.models import PartnerKind

RENDER = '{% from "_forms.html" import field %}{{ field(form.name) }}{{ field(form.kind) }}' \
         '{{ field(form.tags) }}{{ field(form.count) }}{{ field(form.ok) }}'


class SampleForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("Name", description="As it appears on the sign",
                       validators=[InputRequired("Enter a name")])
    kind = EnumSelectField("Kind", PartnerKind, blank="Choose")
    tags = SelectMultipleField("Tags", choices=[("a", "Apple"), ("b", "Banana")])
    count = IntegerField("Count")
    when = DateField("When")
    ok = BooleanField("Agree")


def test_text_field_maps_label_hint_error_and_value(app):
    with app.test_request_context():
        form = SampleForm(MultiDict({"name": ""}))
        form.validate()
        spec = nhs_field_params(form.name, autocomplete="off")
    assert spec["macro"] == "input"
    params = spec["params"]
    assert params["label"] == {"text": "Name"}
    assert params["hint"] == {"text": "As it appears on the sign"}
    assert params["errorMessage"] == {"text": "Enter a name"}
    assert params["autocomplete"] == "off"
    assert params["id"] == params["name"] == "name"


def test_choice_fields_map_to_select_and_checkboxes(app):
    with app.test_request_context():
        form = SampleForm(MultiDict([("kind", "mosque"), ("tags", "b")]))
        kind = nhs_field_params(form.kind)
        tags = nhs_field_params(form.tags)
        count = nhs_field_params(form.count)
    assert kind["macro"] == "select"
    assert {"value": "mosque", "text": "Mosque", "selected": True} in kind["params"]["items"]
    assert tags["macro"] == "checkboxes"
    assert tags["params"]["fieldset"]["legend"]["text"] == "Tags"
    assert [i["checked"] for i in tags["params"]["items"]] == [False, True]
    assert count["params"]["inputmode"] == "numeric"


def test_rendered_fields_carry_nhs_classes_and_error_summary_links(app):
    with app.test_request_context():
        form = SampleForm(MultiDict({"count": "many"}))
        form.validate()
        html = render_template_string(RENDER, form=form)
        errors = error_list(form)
    assert 'class="nhsuk-input' in html and "nhsuk-checkboxes__input" in html
    assert "nhsuk-error-message" in html
    assert {"text": "Enter a name", "href": "#name"} in errors
    assert errors[1]["href"] == "#count"
    assert 'value="many"' in html  # what the user typed is kept, not lost


def test_script_payload_stays_escaped_through_a_macro(app):
    payload = '<script>alert("x")</script>'
    with app.test_request_context():
        form = SampleForm(MultiDict({"name": payload}))
        form.name.errors = [f"{payload} is not allowed"]
        html = render_template_string(RENDER, form=form)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; is not allowed" in html
    assert 'value="&lt;script&gt;' in html


def test_unknown_enum_choice_is_a_field_error_not_a_crash(app):
    with app.test_request_context():
        form = SampleForm(MultiDict({"name": "x", "kind": "spaceship"}))
        assert not form.validate()
        assert form.kind.errors


def test_each_id_appears_once_in_a_checkbox_group(app):
    with app.test_request_context():
        form = SampleForm(MultiDict([("tags", "a")]))
        html = render_template_string(RENDER, form=form)
    assert html.count('id="tags"') == 1
    assert html.count('id="ok"') == 1


def test_long_multiple_choice_renders_as_a_few_selects_of_one_name(app):
    from recruit.forms.fields import RepeatedSelectField

    class TeamForm(FlaskForm):
        class Meta:
            csrf = False

        people = RepeatedSelectField("People", coerce=int, slot_label="Person",
                                     choices=[(n, f"Person {n}") for n in range(1, 101)])

    with app.test_request_context():
        form = TeamForm(MultiDict([("people", "7"), ("people", ""), ("people", "42")]))
        assert form.validate() and form.people.data == [7, 42]
        html = render_template_string(
            '{% from "_forms.html" import field %}{{ field(form.people) }}', form=form)
    assert html.count('name="people"') == 3  # two chosen plus one empty slot
    assert 'id="people"' in html and 'id="people-3"' in html
    assert html.count("selected") == 2 and "<legend" in html
