"""The name list (名单, 附件3, C-A3) as .xlsx."""

import datetime
import io

from openpyxl import load_workbook

from tests.grants.factories import candidate, make_grant
from zwfw.grants import roster, selectors

D = datetime.date


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]


def test_roster_has_the_six_columns_and_one_row_per_officer(
    db, center_admin, department, other_department
):
    """C-A3: 姓名, 性别, 年龄, 工作单位（股室）及职位, 联系方式, 备注; a row per officer."""
    a = make_grant(
        center_admin,
        department,
        grantee=candidate(
            department,
            name="陆文博",
            birth_date=D(1987, 11, 2),
            phone="13712345678",
            position="审批科副科长",
        ),
    )
    make_grant(center_admin, other_department, grantee=candidate(other_department, name="万家宁"))
    grants = selectors.current_chief_officers(on=D(2025, 6, 1))
    rows = selectors.roster_rows(grants, on=D(2025, 6, 1), full_phone=lambda g: True)
    content = roster.roster_xlsx(rows, unit="示范市政务服务中心", on=D(2025, 6, 1))
    table = _rows(content)
    assert table[0][0].startswith("“首席服务员”名单")
    assert "填报单位：示范市政务服务中心" in table[0][0]
    assert "2025年6月1日" in table[0][0]
    assert list(table[1][:6]) == [
        "姓名",
        "性别",
        "年龄",
        "工作单位（股室）及职位",
        "联系方式",
        "备注",
    ]
    body = table[2:]
    assert len(body) == 2
    first = body[0]
    assert first[:5] == (
        "陆文博",
        "男",
        37,
        "示范市公安局（政务服务科）审批科副科长",
        "13712345678",
    )
    assert "首席服务员" in first[5] and "2025.01.01—2026.12.31" in first[5]
    assert a.grantee.name == "陆文博"
    assert body[1][0] == "万家宁"


def test_phone_is_masked_when_not_allowed(db, center_admin, department):
    """C-A3: outside center/department admins the phone is masked."""
    make_grant(center_admin, department, grantee=candidate(department, phone="13712345678"))
    grants = selectors.current_chief_officers(on=D(2025, 6, 1))
    rows = selectors.roster_rows(grants, on=D(2025, 6, 1), full_phone=lambda g: False)
    assert rows[0].phone == "137****5678"
