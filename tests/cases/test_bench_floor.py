"""The reference views of bench/http.py (bench/floor_urls.py): the floors its report prints
next to the issue-17 aims must answer what they claim to measure, or the comparison is void."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _floor_urls(settings):
    settings.ROOT_URLCONF = "bench.floor_urls"


def test_floor_row_reads_one_case_by_number_without_a_login(client, received):
    answer = client.get(f"/floor/row/{received.number}")
    assert answer.status_code == 200
    assert answer.json() == {"number": received.number, "status": received.status}


def test_floor_page_renders_the_base_template_for_the_session_user(client, clerk, received):
    assert client.get(f"/floor/page/{received.number}").status_code == 302  # login first
    client.force_login(clerk)
    page = client.get(f"/floor/page/{received.number}")
    assert page.status_code == 200
    html = page.content.decode()
    assert received.number in html and "工作台" in html  # the case and the main menu
    assert client.get("/floor/page/NO-SUCH").status_code == 404


def test_the_deployed_urls_are_all_there(client):
    assert client.get("/healthz").status_code == 200
