"""Every form, fed arbitrary input by hypothesis, answers without a server error.

The fields posted are the ones each page's own form offers (read from its HTML), filled with
arbitrary text, numbers, dates and over-long strings; a refusal must be a page with a message
(or a redirect), never a 500, and a refused save leaves nothing half-written.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruit.models import Role
from tests.conftest import url_for_rule
from tests.test_access import POLICY

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
SKIP = {"auth.logout", "auth.login", "auth.two_factor"}
VALUES = st.one_of(
    st.text(max_size=60), st.integers(-10**12, 10**12).map(str), st.dates().map(str),
    st.sampled_from(["", "0", "-1", "999999999999999999999", "2024-02-30", "<script>x</script>",
                     "=cmd|' /C calc'!A0", "y", "on", "\x00", "NaN"]),
    st.text(min_size=300, max_size=5000),
)


def _post_endpoints():
    from recruit import create_app

    posting = {rule.endpoint for rule in create_app("testing").url_map.iter_rules()
               if "POST" in rule.methods}
    for endpoint, allowed in POLICY.items():
        if endpoint in SKIP or allowed == "public" or endpoint not in posting:
            continue
        role = Role.admin if Role.admin in allowed else sorted(allowed, key=str)[0]
        yield pytest.param(endpoint, role, id=endpoint)


@pytest.mark.parametrize(("endpoint", "role"), list(_post_endpoints()))
@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_arbitrary_input_never_causes_a_server_error(app, client, world, endpoint, role, data):
    rules = [r for r in app.url_map.iter_rules(endpoint) if "POST" in r.methods]
    if not hasattr(client, "_fuzz_ids"):
        client._fuzz_ids = world(role)[0]
    url = url_for_rule(app, rules[0], client._fuzz_ids)
    page = client.get(url).get_data(as_text=True)
    names = sorted(set(FIELD.findall(page)) - {"csrf_token"}) or ["anything"]
    form = {name: data.draw(VALUES, label=name) for name in names}
    response = client.post(url, data=form)
    assert response.status_code < 500, f"{endpoint}: {form}"
