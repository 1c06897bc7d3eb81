"""Issue 11 point 9: scope semantics of zwfw.core.permissions.

A role held without a scope is global; a role held with a scope never passes a check that asks
for a global role (`require_role` without a target). Pages that only need "this role somewhere"
ask `require_role_anywhere` / `has_role_anywhere` and then filter rows by scope.

The table below names every `require_role(` / `require_role_anywhere(` call site in zwfw with
the kind of target it passes; a new call site fails `test_point9_every_require_role_site_...`
until it is added here, and `test_point9_site_role_scope_matrix` walks each site with every
role and every demo scope (global, city / county / township center, department).
"""

import ast
import datetime
import importlib
import pathlib

import pytest
from django.contrib.auth import get_user_model

from tests.factories import CenterFactory, DepartmentFactory, global_staff, staff
from zwfw.core.errors import Forbidden
from zwfw.core.permissions import (
    Role,
    has_role,
    has_role_anywhere,
    require_role,
    require_role_anywhere,
)
from zwfw.org.models import Department, RoleAssignment, ServiceCenter

ROOT = pathlib.Path(__file__).resolve().parents[2] / "zwfw"

# site -> kinds of target its require_role calls pass: "global" (no target), "department",
# "center", "center+department", or "anywhere" (require_role_anywhere).
SITES = {
    "zwfw.cases.services.base:require_handler": {"department"},
    "zwfw.cases.services.closing:check_terminate": {"department"},
    "zwfw.cases.services.intake:create_project": {"anywhere"},
    "zwfw.cases.services.inquiries:log_inquiry": {"department"},
    "zwfw.cases.joint:create_theme": {"center"},
    "zwfw.cases.joint:countersign_part": {"department"},
    "zwfw.cases.joint_views:themes": {"anywhere"},
    "zwfw.cases.inquiry_selectors:visible_inquiries": {"anywhere"},
    "zwfw.cases.services.intake:take_in": {"department"},
    "zwfw.catalog.services.imports:import_items": {"anywhere"},
    "zwfw.catalog.services.items:create_item": {"department"},
    "zwfw.catalog.services.items:update_item": {"department"},
    "zwfw.catalog.services.lists:approve_list": {"department"},
    "zwfw.catalog.services.lists:create_campaign": {"anywhere", "center", "department"},
    "zwfw.catalog.services.lists:return_list": {"department"},
    "zwfw.catalog.services.lists:set_due_date": {"department"},
    "zwfw.catalog.services.lists:submit_list": {"department"},
    "zwfw.catalog.services.phrases:add_vague_phrase": {"global"},
    "zwfw.catalog.services.phrases:set_vague_phrase_active": {"global"},
    "zwfw.catalog.services.channels:set_item_channels": {"department"},
    "zwfw.core.views:audit_page": {"global"},
    "zwfw.core.selectors:audit_events": {"global"},
    "zwfw.evaluations.services.appeals:decide_appeal": {"center"},
    "zwfw.evaluations.services.appeals:file_appeal": {"department"},
    "zwfw.evaluations.services.devices:deactivate_device": {"center"},
    "zwfw.evaluations.services.devices:register_device": {"center"},
    "zwfw.evaluations.services.devices:register_integrator": {"center", "global"},
    "zwfw.evaluations.services.ratings:rate_case": {"department"},
    "zwfw.evaluations.services.ratings:start_visit": {"center", "department"},
    "zwfw.evaluations.services.rectifications:_require_owner": {"center", "department"},
    "zwfw.grants.services.changes:_decision_role": {"department"},
    "zwfw.grants.services.committee:_manage": {"center"},
    "zwfw.grants.services.committee:add_committee_member": {"center"},
    "zwfw.grants.services.committee:create_committee": {"center"},
    "zwfw.grants.services.committee:remove_committee_member": {"center"},
    "zwfw.grants.services.filings:file_section_head": {"department"},
    "zwfw.grants.services.grants:grant_authority": {"department"},
    "zwfw.grants.services.proposals:decide_proposal": {"department"},
    "zwfw.grants.services.proposals:propose_grant": {"department"},
    "zwfw.org.posts:assign_post": {"department"},  # issue 12: handling posts
    "zwfw.org.posts:end_post": {"department"},
    "zwfw.org.services:_assign": {"center", "department"},
    "zwfw.org.services:create_center": {"center"},
    "zwfw.org.services:create_department": {"center"},
    "zwfw.org.services:create_person": {"department"},
    "zwfw.org.services:create_region": {"global"},
    "zwfw.org.services:create_section": {"department"},
    "zwfw.org.services:create_window": {"center"},
    "zwfw.org.services:revoke_role": {"center+department"},
    "zwfw.org.services:update_person": {"department"},
    "zwfw.supervision.hotline_views:hotline_import": {"anywhere"},
    "zwfw.supervision.hotline_views:hotline_new": {"anywhere"},
    "zwfw.supervision.services.draws:add_pool_member": {"department"},
    "zwfw.supervision.services.draws:create_draw": {"anywhere"},
    "zwfw.supervision.services.draws:record_rectification": {"department"},
    "zwfw.supervision.services.draws:replay_draw": {"anywhere"},
    "zwfw.supervision.services.draws:set_pool_member_active": {"department"},
    "zwfw.supervision.services.hotline:handle_hotline": {"department"},
    "zwfw.supervision.services.hotline:import_hotline": {"anywhere"},
    "zwfw.supervision.services.hotline:save_hotline": {"anywhere"},
    "zwfw.supervision.views:draw_new": {"anywhere"},
    "zwfw.supervision.views:pool": {"anywhere"},
    "zwfw.workdays.selectors:year_for_edit": {"global"},
    "zwfw.workdays.services:set_year": {"global"},
    # issue 12 point 4: the comprehensive window (R-17)
    "zwfw.windows.services:authorize": {"center"},
    "zwfw.windows.services:revoke": {"center"},
    "zwfw.windows.services:post_staff": {"center"},
    "zwfw.windows.services:check_intake": {"department"},
    "zwfw.windows.services:record_agency": {"department"},
}

# New apps keep their rows in tests/<app>/scope_sites.py (one owner per file).
for _extra in sorted((ROOT.parent / "tests").glob("*/scope_sites.py")):
    SITES.update(importlib.import_module(f"tests.{_extra.parent.name}.scope_sites").SITES)


def _scan() -> dict[str, dict[str, list[list[ast.expr]]]]:
    """site -> kind -> [role argument expressions of each call] from the source."""
    found: dict[str, dict[str, list[list[ast.expr]]]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path.name == "permissions.py":
            continue
        module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)

        def walk(node, func, module=module):
            for child in ast.iter_child_nodes(node):
                inner = child.name if isinstance(child, ast.FunctionDef) else func
                if isinstance(child, ast.Call):
                    name = getattr(child.func, "id", None) or getattr(child.func, "attr", None)
                    if name in ("require_role", "require_role_anywhere"):
                        keywords = sorted(k.arg for k in child.keywords)
                        kind = "anywhere" if name.endswith("anywhere") else "+".join(keywords)
                        site = found.setdefault(f"{module}:{func}", {})
                        site.setdefault(kind or "global", []).append(child.args[1:])
                walk(child, inner)

        walk(ast.parse(path.read_text(encoding="utf-8")), None)
    return found


FOUND = _scan()


def test_point9_every_require_role_site_is_in_the_table():
    """Point 9: every require_role call site is named here with the target it passes, so a
    new one cannot skip the scope matrix (and a target-less one is a conscious global)."""
    assert {site: set(kinds) for site, kinds in FOUND.items()} == SITES


def _roles_of(site: str, kind: str) -> set[str]:
    """Evaluate the role arguments in the site's module (Role.X, *EDIT_ROLES, ...)."""
    module = importlib.import_module(site.split(":")[0])
    roles: set[str] = set()
    for args in FOUND[site][kind]:
        for arg in args:
            expr = arg.value if isinstance(arg, ast.Starred) else arg
            value = eval(compile(ast.Expression(expr), site, "eval"), vars(module))  # noqa: S307
            roles.update(value if isinstance(arg, ast.Starred) else [value])
    return {str(r) for r in roles}


# In-memory world (no database): 青岚 city center > county center > township center, a
# department of the city center and one of the county center.
CITY = ServiceCenter(pk=9001, code="P9-QL", path="/9001/")
COUNTY = ServiceCenter(pk=9002, code="P9-YX", path="/9001/9002/", parent_id=9001)
TOWNSHIP = ServiceCenter(pk=9003, code="P9-TY", path="/9001/9002/9003/", parent_id=9002)
CITY_DEPT = Department(pk=9101, code="P9-QLGA", center=CITY)
COUNTY_DEPT = Department(pk=9102, code="P9-YXSJ", center=COUNTY)
SCOPES = {
    "global": {},
    "city_center": {"center": CITY},
    "county_center": {"center": COUNTY},
    "township_center": {"center": TOWNSHIP},
    "city_department": {"department": CITY_DEPT},
    "county_department": {"department": COUNTY_DEPT},
}
# What each kind of target passes, by the scope the role is held in (the target is the
# county department or the county center).
PASSES = {
    "global": {"global"},
    "anywhere": set(SCOPES),
    "department": {"global", "city_center", "county_center", "county_department"},
    "center+department": {"global", "city_center", "county_center", "county_department"},
    "center": {"global", "city_center", "county_center"},
}
TARGETS = {
    "global": {},
    "anywhere": {},
    "department": {"department": COUNTY_DEPT},
    "center+department": {"department": COUNTY_DEPT, "center": COUNTY},
    "center": {"center": COUNTY},
}


def _user(role: str, scope: str):
    user = get_user_model()(username=f"p9-{role}-{scope}", is_active=True)
    user._role_assignments_cache = [RoleAssignment(role=role, **SCOPES[scope])]
    return user


def _allowed(kind: str, user, roles) -> bool:
    check = require_role_anywhere if kind == "anywhere" else require_role
    try:
        check(user, *roles, **TARGETS[kind])
    except Forbidden:
        return False
    return True


@pytest.mark.parametrize("scope", list(SCOPES))
@pytest.mark.parametrize(
    "site,kind", [(site, kind) for site, kinds in sorted(SITES.items()) for kind in sorted(kinds)]
)
def test_point9_site_role_scope_matrix(site, kind, scope):
    """Point 9: for the check each service makes, every role held in every demo scope is
    allowed exactly when the role is required and its scope covers the target; a global
    check passes only a role held without a scope."""
    roles = _roles_of(site, kind)
    assert roles, site
    wrong = []
    for role in Role.values:
        expected = role in roles and scope in PASSES[kind]
        if _allowed(kind, _user(role, scope), roles) != expected:
            wrong.append((role, "should pass" if expected else "should be refused"))
    assert not wrong, f"{site} ({kind}) held in {scope}: {wrong}"


def test_point9_scoped_role_never_passes_a_global_check():
    """Point 9: the old `_covers` returned True for any scoped assignment when no target was
    given; now only an unscoped one (or a superuser) passes."""
    for scope in SCOPES:
        user = _user(Role.CENTER_ADMIN, scope)
        assert has_role(user, Role.CENTER_ADMIN) is (scope == "global")
        assert has_role_anywhere(user, Role.CENTER_ADMIN)
    superuser = get_user_model()(username="p9-root", is_active=True, is_superuser=True)
    superuser._role_assignments_cache = []
    assert has_role(superuser, Role.CENTER_ADMIN)


def test_point9_target_less_has_role_only_where_global_is_meant():
    """Point 9: a has_role(...) without department=/center= asks for a global role; only
    these platform-wide checks may do so (others use has_role_anywhere)."""
    allowed = {
        "zwfw.catalog.list_views:phrases",  # the R-14 phrase list's edit form
        "zwfw.workdays.panels:calendar_panel",  # reminds those who can edit the calendar
        "zwfw.workdays.views:calendar_page",  # the calendar's edit links
        "zwfw.core.home:may_read_audit",  # the audit trail's menu entry (audit_page's check)
        "zwfw.org.selectors:may_create_department",  # a department of no center
    }
    found = set()
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path.name == "permissions.py":
            continue
        module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)

        def walk(node, func, module=module):
            for child in ast.iter_child_nodes(node):
                inner = child.name if isinstance(child, ast.FunctionDef) else func
                is_has_role = (
                    isinstance(child, ast.Call) and getattr(child.func, "id", "") == "has_role"
                )
                if is_has_role and not {k.arg for k in child.keywords} & {"department", "center"}:
                    found.add(f"{module}:{func}")
                walk(child, inner)

        walk(ast.parse(path.read_text(encoding="utf-8")), None)
    assert found <= allowed, found - allowed


# --- the platform-wide things, end to end ----------------------------------------------


@pytest.fixture
def township(db):
    city = CenterFactory(code="T-QL", level=ServiceCenter.Level.CITY)
    county = CenterFactory(code="T-YX", level=ServiceCenter.Level.COUNTY, parent=city)
    town = CenterFactory(code="T-TY", level=ServiceCenter.Level.TOWNSHIP, parent=county)
    return {"city": city, "county": county, "town": town}


@pytest.fixture
def town_admin(township):
    dept = DepartmentFactory(center=township["town"])
    return staff("center_admin", department=dept, center=township["town"]).user


def test_point9_township_admin_cannot_edit_the_calendar(client, town_admin, platform_admin):
    """Point 9 (L-CAL): the official calendar is platform-wide: a township center admin is
    refused by the service and the page, and sees no edit link."""
    from zwfw.workdays import services as workdays

    holidays = [(datetime.date(2027, 1, 1), "元旦")]
    with pytest.raises(Forbidden):
        workdays.set_year(by=town_admin, year=2027, holidays=holidays, source="国办发")
    client.force_login(town_admin)
    assert client.get("/workdays/years/2027/edit/").status_code == 403
    assert "/workdays/years/" not in client.get("/workdays/").content.decode()
    workdays.set_year(by=platform_admin, year=2027, holidays=holidays, source="国办发")


def test_point9_township_admin_cannot_edit_the_r14_phrase_list(client, town_admin, platform_admin):
    """Point 9 (R-14): the vague-phrase list is platform-wide."""
    from zwfw.catalog import services as catalog

    with pytest.raises(Forbidden):
        catalog.add_vague_phrase(by=town_admin, phrase="相关证明")
    client.force_login(town_admin)
    client.post("/catalog/phrases/", {"phrase": "相关证明"})
    from zwfw.catalog.models import VaguePhrase

    assert not VaguePhrase.objects.filter(phrase="相关证明").exists()
    catalog.add_vague_phrase(by=platform_admin, phrase="相关证明")


def test_point9_scoped_admin_reads_no_platform_wide_outbox(town_admin, township, platform_admin):
    """Point 9: a scoped center admin reads only its departments' messages; a message of no
    department is for global roles only."""
    from zwfw.notifications import selectors, services

    own = DepartmentFactory(center=township["town"])
    city = DepartmentFactory(center=township["city"])
    services.queue_sms(phone="13912345678", text="镇里的短信", department=own)
    services.queue_sms(phone="13912345678", text="市里的短信", department=city)
    services.queue_sms(phone="13912345678", text="全平台短信")
    texts = set(selectors.visible_messages(town_admin).values_list("text", flat=True))
    assert texts == {"镇里的短信"}
    assert selectors.visible_messages(platform_admin).count() == 3


def test_point9_county_admin_does_not_see_the_city_inspector_pool(client, township):
    """Point 9 (N-17): the inspector pool is read within the keeper's scope."""
    from zwfw.supervision import selectors
    from zwfw.supervision.models import InspectorPoolMember

    city_person = staff("window_staff", department=DepartmentFactory(center=township["city"]))
    county_person = staff("window_staff", department=DepartmentFactory(center=township["county"]))
    for person in (city_person, county_person):
        InspectorPoolMember.objects.create(person=person, since=datetime.date(2026, 1, 1))
    county_admin = staff(
        "center_admin",
        department=DepartmentFactory(center=township["county"]),
        center=township["county"],
    ).user
    seen = set(selectors.pool_members(county_admin).values_list("person_id", flat=True))
    assert seen == {county_person.pk}
    client.force_login(county_admin)
    page = client.get("/supervision/pool/").content.decode()
    assert county_person.name in page and city_person.name not in page
    root = global_staff("supervisor").user
    assert selectors.pool_members(root).count() == 2


def test_point9_scoped_coordinator_opens_a_campaign_for_its_scope(township):
    """Point 9 (C-4.1): a campaign without a center means "the departments in my scope", not
    a global check: a county coordinator opens it for the county's departments only."""
    from zwfw.catalog import services as catalog
    from zwfw.catalog.models import ChiefList

    county_dept = DepartmentFactory(center=township["county"])
    city_dept = DepartmentFactory(center=township["city"])
    coordinator = staff(
        "coordination_office", department=county_dept, center=township["county"]
    ).user
    today = datetime.date(2026, 7, 1)
    catalog.create_campaign(
        by=coordinator, name="县级报送", due_date=datetime.date(2026, 7, 15), today=today
    )
    assert ChiefList.objects.filter(department=county_dept, campaign__isnull=False).exists()
    assert not ChiefList.objects.filter(department=city_dept, campaign__isnull=False).exists()
