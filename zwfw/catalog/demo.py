"""Demo catalog of 青岚市: items with guides for six departments, and their lists in every state.

Idempotent: items are looked up by code, list steps run only for a department that has never
submitted, the campaign only once. Everything goes through the services, so versions and the
audit trail are as real use would leave them.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from zwfw.catalog import demo_data as D
from zwfw.catalog import services
from zwfw.catalog.models import ListCampaign, ServiceItem
from zwfw.org.models import Department, ServiceCenter

ADMINS = {
    "QLGA": "ga_admin",
    "QLJT": "jt_admin",
    "QLZR": "zr_admin",
    "QLSJ": "sj_admin",
    "QLRS": "rs_admin",
    "QLZJ": "zj_admin",
}
COORDINATOR = "xietiao"
CENTER_ADMIN = "zhongxin"
CAMPAIGN = "2026年度首席服务员清单报送"


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    moment = datetime.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())
    return min(moment, timezone.now())


CREATED_AT = _at(2026, 1, 5)
REVISED_AT = _at(2026, 3, 2, 10)
SUBMITTED_AT = _at(2026, 3, 16, 15)
REVIEWED_AT = _at(2026, 3, 18, 11)


def _steps(promised: int, immediate: bool) -> list[dict]:
    if immediate:
        return [
            {"name": "受理", "post": "窗口受理岗", "days": 0, "description": "核验材料，当场受理"},
            {
                "name": "审核决定",
                "post": "首席服务员",
                "days": 0,
                "description": "当场审核并作出决定",
            },
            {"name": "办结送达", "post": "窗口出件岗", "days": 0, "description": "当场发放结果"},
        ]
    return [
        {
            "name": "受理",
            "post": "窗口受理岗",
            "days": 0,
            "description": "材料齐全、符合法定形式的当场受理",
        },
        {
            "name": "审查",
            "post": "审查岗",
            "days": max(promised - 1, 0),
            "description": "审查申请材料，必要时组织现场核查",
        },
        {
            "name": "决定",
            "post": "首席服务员",
            "days": 1 if promised else 0,
            "description": "作出准予或不予的决定",
        },
        {
            "name": "办结送达",
            "post": "窗口出件岗",
            "days": 0,
            "description": "窗口领取或免费邮寄送达",
        },
    ]


def _sample_file(material: str) -> str:
    """A sample text at a fixed path, written once: reloading the demo (every test database
    does) must not leave a new copy in the media directory each time."""
    path = f"catalog/samples/demo/{material}示范文本.txt"
    if not default_storage.exists(path):
        text = f"{material}（示范文本）\n申请人：张三\n联系电话：13800000000\n申请事项：……\n日期：2026年1月5日\n"
        default_storage.save(path, ContentFile(text.encode()))
    return path


def _materials(names: list[str], sample: bool) -> list[dict]:
    rows = []
    for i, name in enumerate(names):
        row = {
            "name": name,
            "required": True,
            "original": True,
            "copies": 1,
            "electronic_ok": True,
            "source": "申请人自备",
        }
        if "身份证" in name or name == "营业执照":
            row.update(
                original=True,
                copies=0,
                exempt_by_sharing=True,
                source="政府部门核发",
                note="可通过电子证照共享获取的，免于提交",
            )
        if i == 0 and sample:
            row["sample_text"] = _sample_file(name)
        rows.append(row)
    return rows


def _data(dept: str, family: tuple, code: str, *, sample: bool) -> dict:
    name, item_type, legal, promised, flags, materials, _variants, exclusion = family
    immediate = "I" in flags
    steps = _steps(promised, immediate)
    data = {
        "code": code,
        "name": name,
        "item_type": item_type,
        "competent_authority": "",
        "legal_basis": D.PHRASE[dept],
        "exercise_level": "city",
        "legal_limit_days": legal,
        "promised_limit_days": promised,
        "immediate": immediate,
        "high_frequency": "H" in flags,
        "chief_list_included": True,
        "conditions": "申请人具有完全民事行为能力或为依法设立的组织；申请材料齐全、符合法定形式。",
        "fee": D.FEES.get(name, "不收费"),
        "apply_mode": "both",
        "place_and_hours": D.PLACE[dept],
        "online_url": "https://zwfw.qinglan.example/item/" + code,
        "result": f"{name}结果文书（电子证照同步生成）",
        "delivery": "窗口领取或免费邮寄送达",
        "consult_channel": f"窗口咨询；电话 {D.PHONE[dept]}",
        "complaint_channel": "12345政务服务便民热线；青岚市政务服务中心投诉台 0539-8801000",
        "faq": "问：可以委托他人办理吗？\n答：可以，受托人须持授权委托书和本人居民身份证。",
        "visits_required": 0 if immediate else 1,
        "baseline_steps": len(steps) + 1,
        "baseline_materials": len(materials) + 2,
        "baseline_visits": 2,
        "materials": _materials(materials, sample),
        "steps": steps,
    }
    if "Gd" in flags or "Ga" in flags:
        data.update(
            green_channel=True, green_channel_mode="direct" if "Gd" in flags else "on_application"
        )
    if exclusion:
        data.update(
            chief_list_included=False, exclusion_reason=exclusion[0], exclusion_note=exclusion[1]
        )
    return data


def _create(by, department, data: dict) -> int:
    if ServiceItem.objects.filter(code=data["code"]).exists():
        return 0
    services.create_item(by=by, department=department, data=data, now=CREATED_AT)
    return 1


def _family(dept: str, department, by, index: int, family: tuple) -> list[dict]:
    """The rows of one family: a single item, or a main item and its handling items."""
    code = f"{dept}-{D.TYPE_PREFIX[family[1]]}-{index:03d}"
    variants = family[6]
    if not variants:
        return [_data(dept, family, code, sample=index == 1)]
    main = _data(dept, family, code, sample=False)
    main.update(
        node_kind="main",
        on_application=False,
        chief_list_included=None,
        exclusion_reason="",
        exclusion_note="",
    )
    rows = [main]
    for kind in variants:
        row = _data(dept, family, f"{code}-{D.VARIANT_SUFFIX[kind]}", sample=index == 1)
        row.update(
            node_kind="handling",
            handling_kind=kind,
            parent_code=code,
            handling_name=D.VARIANT_NAME[kind],
        )
        if kind == "cancel":
            row.update(
                immediate=True,
                promised_limit_days=0,
                visits_required=0,
                steps=_steps(0, True),
                high_frequency=False,
            )
        rows.append(row)
    return rows


def _items(users) -> int:
    created = 0
    for dept, families in D.FAMILIES.items():
        department = Department.objects.get(code=dept)
        rows = [
            row
            for i, fam in enumerate(families, start=1)
            for row in _family(dept, department, users[dept], i, fam)
        ]
        # Leave the last few on-application items of some departments undecided (draft lists).
        open_rows = [
            r for r in rows if r.get("on_application", True) and r["chief_list_included"] is True
        ]
        for row in (
            open_rows[len(open_rows) - D.UNDECIDED.get(dept, 0) :] if dept in D.UNDECIDED else []
        ):
            row["chief_list_included"] = None
        for row in rows:
            created += _create(users[dept], department, row)
    return created


def _revise(users) -> int:
    """A few items get a second version, so history and `?on=` have something to show."""
    revisions = [
        (
            "QLSJ",
            "QLSJ-XK-001-01",
            3,
            "落实食品经营许可“证照联办”改革，承诺时限由5个工作日压缩至3个工作日",
        ),
        (
            "QLGA",
            "QLGA-QR-001",
            10,
            "居民身份证换领推行“跨省通办”，承诺时限由15个工作日压缩至10个工作日",
        ),
        ("QLZJ", "QLZJ-XK-001", 2, "工程建设项目审批制度改革，施工许可承诺时限压缩至2个工作日"),
    ]
    done = 0
    for dept, code, promised, reason in revisions:
        item = ServiceItem.objects.filter(code=code).first()
        if item is None or item.version_number > 1:
            continue
        services.update_item(
            by=users[dept],
            item=item,
            reason=reason,
            now=REVISED_AT,
            changes={"promised_limit_days": promised, "steps": _steps(promised, False)},
        )
        done += 1
    return done


def _lists(users, coordinator) -> list[str]:
    done = []
    for dept in (*D.APPROVED, *D.SUBMITTED, *D.RETURNED):
        department = Department.objects.get(code=dept)
        if department.list_submissions.exists():
            continue
        services.submit_list(
            by=users[dept],
            department=department,
            now=SUBMITTED_AT,
            note="已逐项核对本部门依申请事项，请审核。",
        )
        if dept in D.APPROVED:
            services.approve_list(
                by=coordinator, department=department, now=REVIEWED_AT, comment="经审核，同意发布。"
            )
        elif dept in D.RETURNED:
            services.return_list(
                by=coordinator, department=department, now=REVIEWED_AT, comment=D.RETURN_COMMENT
            )
        done.append(dept)
    return done


def _campaign(coordinator) -> bool:
    if ListCampaign.objects.filter(name=CAMPAIGN).exists():
        return False
    today = timezone.localdate()
    services.create_campaign(
        by=coordinator,
        name=CAMPAIGN,
        due_date=today + datetime.timedelta(days=14),
        center=ServiceCenter.objects.get(code="QL"),
        today=today,
    )
    return True


# R-18 (seed 002 第十八条): one item whose center closed online and mobile applications,
# with the reason the public guide and a refused online application show.
RESTRICTED_ITEM = "居民身份证首次申领"
RESTRICTION_REASON = "首次申领须本人到场现场采集人像和指纹信息，暂不受理网上和移动端申请"


def _channels() -> bool:
    from zwfw.catalog.models import ItemChannelSetting

    item = ServiceItem.objects.filter(name=RESTRICTED_ITEM, department__code="QLGA").first()
    if item is None or ItemChannelSetting.objects.filter(item=item).exists():
        return False
    services.set_item_channels(
        by=get_user_model().objects.get(username=CENTER_ADMIN),
        item=item,
        channels={"online": False, "mobile": False},
        reason=RESTRICTION_REASON,
    )
    return True


def load() -> str:
    User = get_user_model()
    users = {dept: User.objects.get(username=name) for dept, name in ADMINS.items()}
    coordinator = User.objects.get(username=COORDINATOR)
    created = _items(users)
    revised = _revise(users)
    lists = _lists(users, coordinator)
    campaign = _campaign(coordinator)
    restricted = _channels()
    return (
        f"新增事项{created}个，修订{revised}个，清单流程{len(lists)}个部门"
        f"{'，发布报送批次' if campaign else ''}"
        f"{'，限定1个事项的申请方式（附理由）' if restricted else ''}"
    )
