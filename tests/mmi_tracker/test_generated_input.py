"""Generated input thrown at every page, form and API endpoint of the URL map (Hypothesis):
strings of any characters, numbers far past what a column holds, dates from year 1 to 9999,
in the query string, in the form fields each page shows and in JSON bodies. Whatever comes,
the answer is a page or a 4xx, never a 5xx."""

import re
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.api import api_client
from tests.support.cast import client_for
from tests.support.permissions import ROWS

pytestmark = pytest.mark.usefixtures("module_cast")

EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.decimals().map(str),
    st.sampled_from(["", "0", "-1", "9223372036854775808", "1e400", "NaN", "²", "\x00", "[]"]),
)
# Parameters the pages read, with any other name beside them.
PARAMETERS = [
    "page", "page_size", "q", "sort", "ordering", "status", "jurisdiction", "body_part",
    "clinician", "case_manager", "insurer", "injured_from", "injured_to", "mmi_from",
    "mmi_to", "value", "level", "rating", "disability_began", "date_of_injury",
    "average_weekly_wage", "format", "kind", "next",
]  # fmt: skip
QUERIES = st.dictionaries(
    st.one_of(st.sampled_from(PARAMETERS), st.text(min_size=1, max_size=8)), VALUES, max_size=4
)
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), VALUES, st.integers(min_value=-(2**70), max_value=2**70)),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
WEB = sorted(name for name in ROWS if not name.startswith("api:") and name != "logout")
API = sorted(name for name in ROWS if name.startswith("api:"))


def who_may(name: str, cast):
    """A user the row lets in (200 or a redirect onward), or the administrator."""
    for role, status in ROWS[name].expect.items():
        if status < 400 and role != "anonymous":
            return cast.roles()[role]
    return cast.admin


def target(name: str, cast, client_of=client_for):
    """The URL of ``name`` for the cast's case, and a client of a user it lets in."""
    return reverse(name, kwargs=ROWS[name].kwargs(cast)), client_of(who_may(name, cast))


def assert_no_server_error(response, url: str, sent) -> None:
    assert response.status_code < 500, (url, sent, response.status_code)


@pytest.mark.parametrize("name", WEB)
def test_generated_query_strings_never_answer_5xx(name, cast):
    url, client = target(name, cast)

    @EXAMPLES
    @given(query=QUERIES)
    def check(query):
        assert_no_server_error(client.get(url, query), url, query)

    check()


@pytest.mark.parametrize("name", WEB)
def test_generated_form_fields_never_answer_5xx(name, cast):
    url, client = target(name, cast)
    page = client.get(url)
    html = "" if page.streaming else page.content.decode(errors="replace")
    fields = sorted(set(re.findall(r'name="([^"]+)"', html)) - {"csrfmiddlewaretoken"})
    if not fields:
        pytest.skip(f"{name} shows no form")

    @EXAMPLES
    @given(data=st.dictionaries(st.sampled_from(fields), VALUES, max_size=len(fields)))
    def check(data):
        assert_no_server_error(client.post(url, data), url, data)

    check()


@pytest.mark.parametrize("name", API)
def test_generated_api_queries_and_bodies_never_answer_5xx(name, cast):
    url, client = target(name, cast, api_client)

    @EXAMPLES
    @given(query=QUERIES, body=JSON)
    def check(query, body):
        assert_no_server_error(client.get(url, query), url, query)
        assert_no_server_error(client.post(url, body, format="json"), url, body)

    check()
