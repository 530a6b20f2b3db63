"""A long select (thousands of partners, wards or vacancies) renders as the NHS macro would.

Its options are written in one pass instead of one macro call each; the page must not change:
the same label, hint, error, options, selection and escaping.
"""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from wtforms import Form, SelectField

from recruit.forms import nhs

TEMPLATE = '{% from "_forms.html" import field %}{{ field(form.partner) }}'


class PartnerForm(Form):
    partner = SelectField("Partner organisation", description="The one who referred them")


def _form(count: int, chosen: str | None = None, error: str | None = None) -> PartnerForm:
    form = PartnerForm(data={"partner": chosen})
    form.partner.choices = [("", "Any partner")] + [
        (str(n), f"Partner {n} <script>alert(1)</script> & Sons") for n in range(1, count + 1)]
    if error:
        form.partner.errors = [error]
    return form


def _render(app, form) -> str:
    with app.test_request_context():
        return render_template_string(TEMPLATE, form=form)


def _squash(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s+>", ">", re.sub(r">\s+<", "><", html)).strip()


@pytest.mark.parametrize("error", [None, "Choose a partner"])
def test_long_select_renders_as_the_macro_does(app, monkeypatch, error):
    count = nhs.LONG_SELECT * 3
    form = _form(count, chosen="7", error=error)
    fast = _render(app, form)
    monkeypatch.setattr(nhs, "LONG_SELECT", 10**6)  # every option through the NHS macro
    slow = _render(app, form)
    assert _squash(fast) == _squash(slow)
    assert fast.count("<option") == count + 1
    assert "<script>" not in fast and "&lt;script&gt;" in fast
    assert re.search(r'<option value="7" selected>Partner 7 ', fast)
    assert fast.count(" selected") == 1


def test_short_select_still_uses_the_macro(app):
    html = _render(app, _form(3))
    assert html.count("<option") == 4
    assert 'for="partner"' in html and "The one who referred them" in html
