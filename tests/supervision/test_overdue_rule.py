"""Issue 16 point 4: the overdue rule of a rectification lives once, on its model; pages, the
API, the home panel and the list filters read it there."""

import datetime
import pathlib

from zwfw.evaluations.models import Rectification
from zwfw.supervision.models import InspectionRectification

D = datetime.date
ROOT = pathlib.Path(__file__).resolve().parents[2] / "zwfw"


def test_inspection_rectification_overdue_only_when_open_past_its_deadline():
    """N-17: open and past the deadline is overdue; on the deadline day, or rectified, not."""
    r = InspectionRectification(status="open", due_date=D(2025, 10, 9))
    assert r.is_overdue(D(2025, 10, 10)) and not r.is_overdue(D(2025, 10, 9))
    r.status = "rectified"
    assert not r.is_overdue(D(2025, 10, 10))


def test_bad_review_rectification_overdue_only_when_open_past_its_step():
    """L-EVAL: an open ticket past its next step's due date is overdue."""
    r = Rectification(status="opened", next_due_date=D(2025, 10, 9))
    if not r.is_open:  # the first open status, whatever its name
        from zwfw.evaluations.models import OPEN_RECTIFICATION

        r.status = sorted(OPEN_RECTIFICATION)[0]
    assert r.is_overdue(D(2025, 10, 10)) and not r.is_overdue(D(2025, 10, 9))
    r.next_due_date = None
    assert not r.is_overdue(D(2025, 10, 10))


def test_no_page_or_api_writes_the_rule_again():
    copies = []
    for path in list(ROOT.glob("supervision/**/*")) + list(ROOT.glob("evaluations/**/*")):
        if path.suffix not in (".py", ".html") or path.name == "models.py":
            continue
        text = path.read_text()
        if "due_date < today" in text or "due_date__lt=" in text:
            copies.append(str(path.relative_to(ROOT)))
    assert not copies, copies
