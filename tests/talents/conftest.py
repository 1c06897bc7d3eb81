"""Fixtures of talent services (seed 003): a city talent window with a county window under
it, two departments with green-channel items, a talent with a card, and commissioners of
every kind (the county window commissioner, a department commissioner per department, the
talent's unit commissioner)."""

import datetime

import pytest

from tests.cases.factories import make_item
from tests.factories import CenterFactory, DepartmentFactory, PersonFactory, staff, valid_id_number
from zwfw.catalog.models import ServiceItem
from zwfw.org.models import ServiceCenter, Window
from zwfw.talents import services

D = datetime.date
TODAY = D(2025, 9, 15)


def green(item, mode="on_application"):
    ServiceItem.objects.filter(pk=item.pk).update(green_channel=True, green_channel_mode=mode)
    item.refresh_from_db()
    return item


@pytest.fixture
def county_center(center):
    c = CenterFactory(
        code="C370321", name="示范县政务服务中心", level=ServiceCenter.Level.COUNTY, parent=center
    )
    c.refresh_path()
    return c


@pytest.fixture
def city_window(center, center_admin):
    w = Window.objects.create(center=center, number="R01", name="高层次人才服务窗口", kind="talent")
    return services.register_window(by=center_admin, window=w, level="city", head_name="周主任")


@pytest.fixture
def county_window(county_center, city_window, center_admin):
    w = Window.objects.create(
        center=county_center,
        number="R01",
        name="高层次人才服务窗口",
        kind="talent",
        parent=city_window.window,
    )
    return services.register_window(by=center_admin, window=w, level="county", head_name="吴主任")


@pytest.fixture
def employer_dept(county_center):
    return DepartmentFactory(code="E-KJ", name="示范新材料科技有限公司", center=county_center)


@pytest.fixture
def window_commissioner(county_window, county_center, center_admin):
    person = staff(
        "commissioner",
        department=DepartmentFactory(center=county_center),
        center=county_center,
        name="窗口专员甲",
    )
    return services.appoint_commissioner(
        by=center_admin,
        window=county_window,
        person=person,
        kind="window",
        appointed_on=TODAY,
        on=TODAY,
    )


@pytest.fixture
def items(dept_admin, department, other_department):
    admin2 = staff("department_admin", department=other_department).user
    a = green(make_item(dept_admin, department, name="人才落户办理", promised=3))
    b = green(make_item(dept_admin, department, name="人才子女入学协调", promised=5))
    c = green(make_item(admin2, other_department, name="人才交通便利服务", promised=10))
    d = green(
        make_item(admin2, other_department, name="人才绿色通道优先候检", promised=2), "direct"
    )
    return {"a": a, "b": b, "c": c, "direct": d}


@pytest.fixture
def dept_commissioners(county_window, department, other_department, center_admin):
    rows = {}
    for dept, name in ((department, "公安专员"), (other_department, "交通专员")):
        person = staff("commissioner", department=dept, name=name)
        rows[dept.code] = services.appoint_commissioner(
            by=center_admin,
            window=county_window,
            person=person,
            kind="department",
            department=dept,
            appointed_on=TODAY,
            on=TODAY,
        )
    return rows


@pytest.fixture
def talent(county_window, center_admin):
    return services.register_talent(
        by=center_admin,
        window=county_window,
        name="林博远",
        id_number=valid_id_number(D(1980, 4, 2), 17),
        employer="示范新材料科技有限公司",
        level="B",
        phone="13811112222",
        card={"kind": "yimeng", "number": "YM2025-0001", "level": "B", "valid_to": D(2026, 6, 30)},
        on=TODAY,
    )


@pytest.fixture
def unit_commissioner(talent, county_window, employer_dept, center_admin):
    person = staff(None, department=employer_dept, name="单位专员乙")
    return services.appoint_commissioner(
        by=center_admin,
        window=county_window,
        person=person,
        kind="unit",
        talent=talent,
        appointed_on=TODAY,
        on=TODAY,
    )


@pytest.fixture
def setup(window_commissioner, dept_commissioners, unit_commissioner, items, talent):
    return {
        "wc": window_commissioner,
        "dc": dept_commissioners,
        "uc": unit_commissioner,
        "items": items,
        "talent": talent,
    }


def person_of(commissioner):
    return commissioner.person


__all__ = ["D", "TODAY", "green", "PersonFactory"]


@pytest.fixture(autouse=True)
def _frozen_day():
    """Tests run on 2025-09-15 (a Monday, two weeks before National Day)."""
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(
        datetime.datetime(2025, 9, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True
    ):
        yield
