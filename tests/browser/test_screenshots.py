"""`make screenshots`: the main pages of the demo city, as each role sees them, saved under
var/screenshots/ (desktop and phone width). Skipped in the normal suite."""

import os
import pathlib

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.conftest import login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("ZWFW_SCREENSHOTS"), reason="make screenshots"),
]
PUBLIC = [
    "/public/",
    "/public/catalog/",
    "/public/grants/",
    "/public/cases/",
    "/public/experts/",
    "/public/talents/",
]
STAFF = {
    "zhongxin": ["/", "/cases/", "/cases/summary/", "/grants/", "/supervision/", "/audit/"],
    "ga_shouxi": ["/", "/cases/"],
    "zonghe": ["/", "/windows/"],
}


def test_screenshots(browser, live_server):
    from zwfw.org.demo import DEMO_PASSWORD

    call_command("load_demo", verbosity=0)
    out = pathlib.Path(settings.BASE_DIR) / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for width, label in ((1280, "desktop"), (390, "phone")):
        context = browser.new_context(
            locale="zh-CN", base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        for url in PUBLIC:
            if page.goto(url).status == 200:
                name = url.strip("/").replace("/", "_") or "portal"
                page.screenshot(path=str(out / f"{label}-{name}.png"), full_page=True)
        for username, urls in STAFF.items():
            context.clear_cookies()
            login(page, username, DEMO_PASSWORD)
            for url in urls:
                if page.goto(url).status == 200:
                    name = url.strip("/").replace("/", "_") or "home"
                    page.screenshot(
                        path=str(out / f"{label}-{username}-{name}.png"), full_page=True
                    )
        context.close()
    assert any(out.glob("desktop-*.png"))
