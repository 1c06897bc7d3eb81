"""Issue 16 point 1: the public front door, Chinese error pages, the site name, the favicon."""

import pytest
from django.template.loader import get_template

from zwfw.core import portal

pytestmark = pytest.mark.django_db


def test_portal_home_links_every_installed_public_service(client):
    page = client.get("/public/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'action="/public/catalog/"' in html and 'name="q"' in html
    assert 'action="/public/cases/"' in html and 'name="phone_last4"' in html
    for section in portal.sections():
        assert f'href="{section["url"]}"' in html
        assert client.get(section["url"]).status_code == 200, section["url"]
    assert {"办事指南", "首席服务员名单"} <= {s["label"] for s in portal.sections()}


def test_portal_leaves_out_a_section_whose_page_does_not_exist(monkeypatch):
    monkeypatch.setattr(
        portal, "SECTIONS", [*portal.SECTIONS, portal.PortalEntry("无", "public_nothing:index", "")]
    )
    assert "无" not in {s["label"] for s in portal.sections()}


def test_404_is_chinese_and_public_pages_carry_no_staff_links(client):
    page = client.get("/public/no-such-page/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "页面不存在" in html and 'href="/public/"' in html
    assert "返回工作台" not in html and "退出" not in html


def test_404_for_staff_links_back_to_the_workbench(client, clerk):
    client.force_login(clerk)
    html = client.get("/no-such-page/").content.decode()
    assert "页面不存在" in html and "返回工作台" in html


def test_500_page_renders_without_a_request():
    html = get_template("500.html").render({})
    assert "系统暂时无法处理" in html and "/public/" in html


def test_site_name_comes_from_the_setting(client, settings):
    settings.SITE_NAME = "青岚市政务服务网"
    html = client.get("/login/").content.decode()
    assert "<title>登录 - 青岚市政务服务网</title>" in html
    assert 'href="/public/"' in html  # citizens are sent to the portal, not asked to log in


def test_favicon(client):
    assert client.get("/favicon.ico").status_code in (301, 302)
    assert 'rel="icon"' in client.get("/public/").content.decode()
