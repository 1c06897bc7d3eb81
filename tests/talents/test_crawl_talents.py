"""Point 18 for this app's demo accounts (the shared crawl takes the first 16 role
signatures only): every page a commissioner or the center reaches from /talents/ answers,
links nowhere forbidden, writes nothing on GET and shows no full phone number."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.test_crawl import _phones_not_editable_by, crawl

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _frozen_day():
    """The demo runs on the real clock (overrides the package's frozen day)."""
    yield


def test_point18_talents_demo_accounts_crawl(settings):
    from zwfw.catalog import demo as catalog_demo
    from zwfw.org import demo as org_demo
    from zwfw.talents import demo
    from zwfw.talents.models import Talent

    settings.ALLOWED_HOSTS = ["testserver"]
    org_demo.load()
    catalog_demo.load()
    demo.load()
    secrets = {t.phone: "人才电话" for t in Talent.objects.all()}
    secrets.update({t.id_number: "人才身份证号" for t in Talent.objects.all()})
    for username in ("rencai", "rc_yx", "rc_bs", "rc_ga", "rc_zj", "rc_cb", "rc_dw1", "zhongxin"):
        client = Client()
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        hidden = {**_phones_not_editable_by(user), **secrets}
        fetched, problems = crawl(client, ["/", "/talents/", "/talents/me/"], hidden)
        assert any(u.startswith("/talents/") for u in fetched), (username, fetched)
        assert not problems, f"{username}:\n" + "\n".join(problems)
    fetched, problems = crawl(Client(), ["/public/talents/"], secrets)
    assert not problems, "\n".join(problems)
