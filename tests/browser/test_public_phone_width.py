"""Issue 16 point 2: every public page of the demo fits a 390-pixel phone screen.

The demo city is loaded once into the live server's database; the public pages are found by
following links anonymously from the portal (/public/), and every service guide is added.
Each page must not scroll sideways, and no visible table cell may be narrower than three
characters (a cell that wraps to one or two characters per line cannot be read).
"""

from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from tests.test_crawl import DOWNLOADS, _links

MAX_PAGES = 400
MEASURE = """() => {
  const narrow = [];
  for (const cell of document.querySelectorAll("td, th")) {
    const head = cell.closest("thead");
    if (head && head.getBoundingClientRect().height <= 1) continue;  // visually hidden header
    const box = cell.getBoundingClientRect();
    const style = getComputedStyle(cell);
    if (!box.width || !box.height || style.visibility === "hidden") continue;
    const text = cell.textContent.trim();
    if (text.length >= 3 && box.width < 3 * parseFloat(style.fontSize)) narrow.push(text.slice(0, 20));
  }
  return {width: document.documentElement.scrollWidth, narrow};
}"""


def _public_pages() -> list[str]:
    from zwfw.catalog.selectors import public_items

    client = Client()
    queue = deque(["/public/"] + [f"/public/catalog/items/{i.code}/" for i in public_items()])
    seen, pages = set(), []
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or not url.startswith("/public/") or url.split("?")[0].endswith(DOWNLOADS):
            continue
        seen.add(url)
        reply = client.get(url)
        if reply.status_code != 200 or "html" not in reply.get("Content-Type", ""):
            continue
        pages.append(url)
        for link in _links(url, reply.content.decode()):
            if "page=" not in link:  # one page of each paginated list is enough
                queue.append(link)
    return pages


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_public_page_fits_a_phone(phone_page, live_server):
    call_command("load_demo", verbosity=0)
    pages = _public_pages()
    guides = [p for p in pages if p.startswith("/public/catalog/items/")]
    assert len(guides) >= 100 and "/public/" in pages and "/public/grants/" in pages
    problems = []
    for url in pages:
        phone_page.goto(urljoin(live_server.url, url))
        found = phone_page.evaluate(MEASURE)
        if found["width"] > 390:
            problems.append(f"{url}: {found['width']} px wide")
        if found["narrow"]:
            problems.append(f"{url}: narrow cells {found['narrow'][:3]}")
    assert not problems, "\n".join(problems[:20])
    assert urlsplit(phone_page.url).path.startswith("/public/")
