"""Issue 11 point 11: no API operation answers 500, whatever a client sends.

Schemathesis generates requests from /api/v1/openapi.json and sends them to a live test
server holding the demo city (`load_demo`): for every operation, schema-conforming and
schema-violating requests as the demo superuser (bearer token), requests whose path
parameters name real demo records (so the handlers run past their 404), and a few
anonymous requests. The check is schemathesis' `not_a_server_error`. Generation is seeded
and the number of examples per operation is capped, so a run is repeatable and short.
Set ZWFW_SCHEMATHESIS_EXAMPLES to explore more deeply.
"""

import contextlib
import http.cookiejar
import os
import time

import hypothesis
import pytest
import requests
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import FailureGroup, not_a_server_error

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EXAMPLES = int(os.environ.get("ZWFW_SCHEMATHESIS_EXAMPLES", "6"))
SEED = 20261129
PASSWORD = "Zwfw@2026"  # the demo accounts' password (org.demo)
# Operations that would end the run's own credentials.
SKIP_AUTHENTICATED = ("/api/v1/auth/token/revoke",)


# Values a careless or hostile client sends: NUL and a lone surrogate (PostgreSQL and every
# encoder refuse them), control and bidi characters, a formula, integers past 64 bits.
HOSTILE_TEXT = [
    "\x00",
    "\ud800",
    "名\x01称\x1f",
    "\u202e\u200b反",
    '=HYPERLINK("x")',
    "a\x00\udfff",
]
HOSTILE_NUMBER = [10**30, -(10**20), 2**63, 2**31]


def _poison(value, text: str, number: int):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return value[:3] + text
    if isinstance(value, int):
        return number
    if isinstance(value, list):
        return [_poison(v, text, number) for v in value]
    if isinstance(value, dict):
        return {k: _poison(v, text, number) for k, v in value.items()}
    return value


def _hostile(strategy):
    """Cases of `strategy` with every string and integer of the JSON body, the query and the
    path replaced by hostile values (a URL cannot carry a lone surrogate: not there)."""
    import hypothesis.strategies as st

    def apply(drawn):
        case, text, number = drawn
        url_text = "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF) or "\x00"
        body = case.body
        if isinstance(body, dict | list) and "json" in (case.media_type or ""):
            body = _poison(body, text, number)
        # A new case, without the generator's metadata: schemathesis would re-validate the
        # poisoned body against the schema, and its validator cannot encode a surrogate.
        return case.operation.Case(
            method=case.method,
            path_parameters=_poison(dict(case.path_parameters or {}), url_text, number),
            headers=case.headers,
            cookies=case.cookies,
            query=_poison(dict(case.query or {}), url_text, number),
            body=body,
            media_type=case.media_type,
        )

    return st.tuples(strategy, st.sampled_from(HOSTILE_TEXT), st.sampled_from(HOSTILE_NUMBER)).map(
        apply
    )


def _settings(examples: int):
    return hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


def _real_path_parameters() -> dict:
    """A real value for each path parameter name the API uses, read from the demo city."""
    from zwfw.cases.models import Case
    from zwfw.catalog.models import ServiceItem
    from zwfw.evaluations.models import Appeal, Evaluation, Rectification
    from zwfw.grants.models import Grant, GrantProposal
    from zwfw.org.models import Person
    from zwfw.supervision.models import (
        FaultToleranceRecord,
        HotlineFeedback,
        InspectionDraw,
        InspectionRectification,
        InterferenceReport,
    )

    def first(model, field="pk"):
        return model.objects.order_by("pk").values_list(field, flat=True).first()

    return {
        "person_id": first(Person),
        "year": 2026,
        "date": "2026-10-09",
        "code": first(ServiceItem, "code"),
        "proposal_id": first(GrantProposal),
        "grant_id": first(Grant),
        "number": first(Case, "number"),
        "evaluation_id": first(Evaluation),
        "appeal_id": first(Appeal),
        "rectification_id": first(Rectification) or first(InspectionRectification),
        "draw_id": first(InspectionDraw),
        "ticket_number": first(HotlineFeedback, "ticket_number"),
        "receipt_number": first(InterferenceReport, "receipt_number"),
        "record_id": first(FaultToleranceRecord),
    }


class Explorer:
    """Runs generated cases against the server and keeps every server error."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()
        # No cookies: a session cookie set by one answer would make anonymous calls logged in.
        self.session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        self.failures: list[str] = []
        self.calls = 0

    def explore(self, operation, strategy, examples: int, headers: dict) -> None:
        @hypothesis.seed(SEED)
        @_settings(examples)
        @hypothesis.given(case=strategy)
        def run(case):
            response = case.call(base_url=self.base_url, session=self.session, headers=headers)
            self.calls += 1
            try:
                case.validate_response(response, checks=[not_a_server_error], headers=headers)
            except (AssertionError, FailureGroup) as exc:
                if len(self.failures) < 30:
                    curl = case.as_curl_command(headers={"Authorization": "[token]"})
                    self.failures.append(f"{operation.label}: {exc}\n  {curl[:2000]}")

        # Unsatisfiable: nothing (more) to generate for this operation in this mode.
        with contextlib.suppress(
            hypothesis.errors.Unsatisfiable, hypothesis.errors.FailedHealthCheck
        ):
            run()


def _token(base_url: str, username: str) -> str:
    r = requests.post(
        f"{base_url}/api/v1/auth/token",
        json={"username": username, "password": PASSWORD},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return r.json()["token"]


@pytest.fixture(autouse=True)
def _quiet_request_log():
    """Thousands of 4xx answers would each log a warning."""
    import logging

    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def test_point11_no_operation_answers_500(live_server, settings):
    """Issue 11 point 11 (R-16 shapes per API.md): schemathesis over every operation finds
    no server error, as the demo superuser and anonymously."""
    # Generous limits: the run sends hundreds of requests from one address.
    settings.CASES_PUBLIC_QUERY_LIMIT = (100000, 600)
    started = time.monotonic()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    loaded = time.monotonic()
    base_url = live_server.url
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    real = _real_path_parameters()
    explorer = Explorer(base_url)
    auth = {"Authorization": f"Bearer {_token(base_url, 'admin')}"}
    for operation in operations:
        path = operation.full_path
        if path not in SKIP_AUTHENTICATED:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                strategy = operation.as_strategy(generation_mode=mode)
                explorer.explore(operation, strategy, EXAMPLES, auth)
            names = [p.name for p in operation.path_parameters]
            known = {n: real[n] for n in names if real.get(n) is not None}
            if names and len(known) == len(names):
                strategy = operation.as_strategy(path_parameters=known)
                explorer.explore(operation, strategy, EXAMPLES, auth)
            strategy = _hostile(operation.as_strategy(path_parameters=known or None))
            explorer.explore(operation, strategy, EXAMPLES, auth)
        # Anonymous: public operations (login, progress query, ratings) and the 401s.
        few = max(2, EXAMPLES // 3)
        strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
        explorer.explore(operation, strategy, few, {})
        explorer.explore(operation, _hostile(strategy), few, {})
    # A kept-alive connection holds a server thread and its database connection open past
    # the test (PostgreSQL then cannot drop the test database).
    explorer.session.close()
    took = time.monotonic() - started
    print(
        f"schemathesis: {len(operations)} operations, {explorer.calls} requests, "
        f"demo loaded in {loaded - started:.0f}s, run {took:.0f}s"
    )
    assert not explorer.failures, "\n\n".join(explorer.failures)
