"""The crawl of tests/test_crawl.py as the chief-experts demo accounts (the office, a
committee member, a nominating organisation) and anonymously from /public/experts/: no 500,
no link to a 403/404, no GET writes, no staff phone shown unmasked."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.test_crawl import _phones_not_editable_by, crawl

pytestmark = pytest.mark.slow


@pytest.fixture
def expert_demo(db, settings):
    from zwfw.experts import demo as experts_demo
    from zwfw.org import demo as org_demo

    settings.ALLOWED_HOSTS = ["testserver"]
    org_demo.load()
    experts_demo.load()


@pytest.mark.parametrize("username", ["zhuanjia", "zj_weiyuan", "zj_tuijian"])
def test_crawl_as_expert_demo_accounts(expert_demo, username):
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    fetched, problems = crawl(client, ["/experts/"], _phones_not_editable_by(user))
    assert len(fetched) > 5, fetched
    assert not problems, f"{username}:\n" + "\n".join(problems)


def test_crawl_public_expert_pages(expert_demo):
    fetched, problems = crawl(Client(), ["/public/experts/"])
    assert any("/notices/" in url for url in fetched), fetched
    assert not problems, "\n".join(problems)
