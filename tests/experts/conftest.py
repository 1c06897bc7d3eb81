"""Fixtures of the chief experts (seed 000): ten sectors with committees, the office, a
nominating organisation (a county) with its account, a committee member of the first sector,
and the 2025 campaign (deadline 30 June 2025, ballot in Q3)."""

import datetime

import pytest
import time_machine

from tests.cases.conftest import _db_rate_store  # noqa: F401  (shared fixture)
from tests.factories import DepartmentFactory, staff
from zwfw.experts import services
from zwfw.experts.models import IndustryCommittee, NominatingOrganisation, Sector

D = datetime.date
DEADLINE = D(2025, 6, 30)
NOMINATION_DAY = D(2025, 6, 10)


def deeds(n: int) -> str:
    """A narrative of exactly n Chinese characters, padded with spaces and punctuation."""
    text = ""
    base = "服务企业群众办成一件事"
    i = 0
    while len(text.replace(" ", "").replace("，", "").replace("。", "")) < n:
        text += base[i % len(base)]
        i += 1
        if i % 20 == 0:
            text += "， "
    return text + "。ABC 123"


def nominee(**over) -> dict:
    data = {
        "name": "田文博",
        "gender": "male",
        "birth_date": D(1980, 3, 15),
        "phone": "13905330001",
        "position": "审批科科长",
        "unit_start_date": D(2010, 7, 1),
        "field_start_date": D(2012, 1, 1),
    }
    data.update(over)
    return data


FORM_FIELDS = (
    "education",
    "professional_title",
    "qualifications",
    "achievements",
    "awards",
    "workplace",
)
ALL_ATTESTED = {"political": True, "ethics": True, "health": True, "integrity": True}


@pytest.fixture
def sectors(db):
    rows = []
    names = [
        "行政审批",
        "市场准入",
        "工程建设",
        "不动产登记",
        "社会保障",
        "医疗卫生",
        "交通运输",
        "生态环境",
        "知识产权",
        "农业农村",
        "文化旅游",
    ]
    for i, name in enumerate(names):
        s = Sector.objects.create(code=f"S{i + 1:02d}", name=name)
        IndustryCommittee.objects.create(sector=s, name=f"{name}工作委员会")
        rows.append(s)
    return rows


@pytest.fixture
def office(center):
    dept = DepartmentFactory(code="D-SP", name="示范市行政审批服务局", center=center)
    return staff("expert_office", department=dept, center=center, name="姚办公").user


@pytest.fixture
def org(db):
    dept = DepartmentFactory(code="D-YX", name="示范市云溪县人民政府")
    return NominatingOrganisation.objects.create(
        name="云溪县人民政府", kind=NominatingOrganisation.Kind.COUNTY, department=dept
    )


@pytest.fixture
def org_user(org):
    user = staff("nominating_org", department=org.department, name="柯推荐").user
    org.accounts.add(user)
    return user


@pytest.fixture
def committee_member(sectors):
    person = staff("industry_committee", name="宋委员")
    sectors[0].committee.members.add(person)
    return person.user


@pytest.fixture
def campaign(office, sectors):
    return services.create_campaign(
        by=office,
        year=2025,
        sectors=sectors[:10],
        nomination_deadline=DEADLINE,
        schedule=[
            {"stage": "deployment", "start": D(2025, 4, 1), "end": D(2025, 4, 30)},
            {"stage": "nomination", "start": D(2025, 5, 1), "end": DEADLINE},
            {"stage": "ballot", "start": D(2025, 7, 1), "end": D(2025, 9, 30)},
        ],
    )


@pytest.fixture
def nominate(org_user, campaign, sectors):
    """nominate(**nominee overrides) at NOMINATION_DAY."""

    def make(sector=None, talent_type="technical", text=None, attest=None, just="", **over):
        form = {k: over.pop(k) for k in list(over) if k in FORM_FIELDS}
        with time_machine.travel(NOMINATION_DAY, tick=False):
            return services.nominate(
                by=org_user,
                campaign=campaign,
                sector=sector or sectors[0],
                talent_type=talent_type,
                nominee=nominee(**over),
                deeds=text if text is not None else deeds(520),
                attestations=attest if attest is not None else ALL_ATTESTED,
                age_justification=just,
                form=form,
            )

    return make


def at(day):
    return time_machine.travel(day, tick=False)
