"""Demo of talent services (seed 003) in 青岚市 (invented): the city talent window (青岚市
政务服务中心 R01) with two county windows (云溪县 R01, 白石区 R01), green-channel items of
five departments with their published rules, 40 talents with cards, commissioners of every
kind (one gap: a talent whose unit commissioner left), requests in every state (awaiting
dispatch, in progress, delayed, overdue, completed, notified and rated), quarterly and yearly
archive filings (one overdue), and the 2025 window grades: 白石区 不达标, with its interview.

Accounts (password DEMO_PASSWORD): rencai / rc_yx / rc_bs window commissioners; rc_ga,
rc_zj, rc_sj, rc_rs, rc_jt department commissioners; rc_cb an undertaking commissioner;
rc_dw1 … rc_dw5 unit commissioners of five employers. Idempotent: a second run adds nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from zwfw.org.models import Department, Person, ServiceCenter, Window
from zwfw.talents import services
from zwfw.talents.models import Talent, TalentWindow

EMPLOYERS = [  # code, name, HR person (username, name, gender), window (county center code)
    ("QLE-XC", "青岚新材料研究院", ("rc_dw1", "姚书颖", "female"), "YX"),
    ("QLE-ZN", "云溪智能装备有限公司", ("rc_dw2", "程嘉树", "male"), "YX"),
    ("QLE-SW", "青岚生物医药有限公司", ("rc_dw3", "白露晞", "female"), "YX"),
    ("QLE-DX", "青岚理工学院", ("rc_dw4", "袁启航", "male"), "BS"),
    ("QLE-NY", "白石新能源科技有限公司", ("rc_dw5", "孔令仪", "female"), "BS"),
]
WINDOW_COMMISSIONERS = [  # username, name, gender, window center
    ("rencai", "谭嘉木", "male", "QL"),  # the org demo's 窗口专员
    ("rc_yx", "温如玉", "female", "YX"),
    ("rc_bs", "柯一鸣", "male", "BS"),
]
DEPARTMENT_COMMISSIONERS = [  # username, name, gender, department
    ("rc_ga", "岳峻峰", "male", "QLGA"),
    ("rc_zj", "钟灵秀", "female", "QLZJ"),
    ("rc_sj", "卢景川", "male", "QLSJ"),
    ("rc_rs", "黎晓岚", "female", "QLRS"),
    ("rc_jt", "邵远帆", "male", "QLJT"),
]
UNDERTAKING = ("rc_cb", "任嘉禾", "female", "QLRS", "青岚市人才发展服务中心")
NEW_ITEMS = [  # department, code, name, promised days, mode, min level, rules
    (
        "QLGA",
        "QLGA-RC-01",
        "高层次人才及家属户籍迁入",
        3,
        "on_application",
        "D",
        "单位专员代办，材料齐全3个工作日内办结",
    ),
    (
        "QLZJ",
        "QLZJ-RC-01",
        "人才公寓配租申请",
        5,
        "on_application",
        "C",
        "A、B、C类人才优先配租，5个工作日内答复",
    ),
    (
        "QLSJ",
        "QLSJ-RC-01",
        "人才创办企业登记帮办",
        2,
        "on_application",
        "E",
        "专员全程帮办，2个工作日内办结",
    ),
    ("QLJT", "QLJT-RC-01", "人才交通出行便利服务", 1, "direct", "B", "凭惠才卡直接办理，当场办结"),
]
SURNAMES = (
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛"
)
GIVEN = ["明远", "书瑶", "启航", "若溪", "嘉禾", "思源", "知微", "景行", "晓岚", "一诺"]
LEVELS = "ABCCDDDEEE"


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _id_number(birth: datetime.date, seq: int) -> str:
    from zwfw.core.validators import id_number_check_digit

    first17 = f"371021{birth:%Y%m%d}{(700 + seq) % 1000:03d}"
    return first17 + id_number_check_digit(first17)


def _person(admin, username, name, gender, department, position, seq):
    from zwfw.org import services as org
    from zwfw.org.demo import DEMO_PASSWORD

    found = Person.objects.filter(user__username=username).first()
    if found is not None:
        return found
    birth = datetime.date(1982 + seq % 10, 1 + seq % 12, 1 + seq % 27)
    return org.create_person(
        by=admin,
        name=name,
        gender=gender,
        birth_date=birth,
        phone=f"1376100{seq:04d}",
        department=department,
        position=position,
        established=True,
        unit_start_date=datetime.date(2018, 3, 1),
        username=username,
        password=DEMO_PASSWORD,
        roles=[],
    )


def _windows(admin, today):
    from zwfw.org import services as org

    city_center = ServiceCenter.objects.get(code="QL")
    city = Window.objects.get(center=city_center, number="R01")
    bs_center = ServiceCenter.objects.get(code="BS")
    bs = Window.objects.filter(center=bs_center, number="R01").first()
    if bs is None:
        bs = org.create_window(
            by=admin,
            center=bs_center,
            number="R01",
            name="高层次人才服务窗口",
            kind="talent",
            parent=city,
        )
    yx = Window.objects.get(center__code="YX", number="R01")
    tws = {}
    for code, w, level, head in (
        ("QL", city, "city", "马文涛"),
        ("YX", yx, "county", "冯晓光"),
        ("BS", bs, "county", "邓一帆"),
    ):
        tws[code] = TalentWindow.objects.filter(window=w).first() or services.register_window(
            by=admin, window=w, level=level, head_name=head
        )
    return tws


def _items(admin, tws, today):
    from zwfw.catalog import services as catalog
    from zwfw.catalog.models import ServiceItem

    for dept, code, name, promised, mode, _lvl, _rules in NEW_ITEMS:
        if ServiceItem.objects.filter(code=code).exists():
            continue
        catalog.create_item(
            by=admin,
            department=Department.objects.get(code=dept),
            data={
                "code": code,
                "name": name,
                "item_type": "public_service",
                "legal_basis": "《青岚市高层次人才服务绿色通道实施办法》",
                "legal_limit_days": 20,
                "promised_limit_days": promised,
                "immediate": False,
                "high_frequency": False,
                "chief_list_included": True,
                "fee": "不收费",
                "conditions": "持有有效惠才卡的高层次人才",
                "green_channel": True,
                "green_channel_mode": mode,
                "materials": [
                    {"name": "申请表", "required": True, "original": True, "copies": 1},
                    {"name": "惠才卡", "required": True, "original": True, "copies": 0},
                ],
                "steps": [{"name": "受理", "post": "窗口受理岗", "days": 1}]
                + ([{"name": "办结", "post": "审核岗", "days": 1}] if promised >= 2 else []),
            },
        )
    min_levels = {code: (lvl, text) for _d, code, _n, _p, _m, lvl, text in NEW_ITEMS}
    for item in ServiceItem.objects.filter(green_channel=True, active=True):
        if hasattr(item, "talent_rule"):
            continue
        lvl, text = min_levels.get(item.code, ("E", "凭惠才卡由专员协助办理，承诺时限内办结"))
        services.publish_item(
            by=admin,
            window=tws["QL"],
            item=item,
            min_level=lvl,
            rules_text=text,
            undertaking=UNDERTAKING[4] if item.department.code == "QLRS" else "",
            on=today - datetime.timedelta(days=300),
        )
    # A county window's own optimisation, reported to the city window (TW-7).
    jt = ServiceItem.objects.filter(code="QLJT-RC-01").first()
    if jt is not None and jt.talent_rule.version == 1:
        services.publish_item(
            by=admin,
            window=tws["YX"],
            item=jt,
            min_level="C",
            rules_text="云溪县放宽至C类及以上人才，凭卡当场办结",
            on=today - datetime.timedelta(days=40),
        )


def _back(today, days):
    return today - datetime.timedelta(days=days)


def load() -> str:
    admin = _user("zhongxin")
    if admin is None or not Window.objects.filter(center__code="QL", number="R01").exists():
        return "skipped (no demo organisation)"
    if Talent.objects.count() >= 40:
        return "already loaded"
    today = timezone.localdate()
    opened = datetime.date(today.year - 1, 7, 1)
    tws = _windows(admin, today)
    _items(admin, tws, today)

    # Commissioners (TC-4): window, department, undertaking.
    rs = Department.objects.get(code="QLRS")
    wcs = {}
    for i, (username, name, gender, center) in enumerate(WINDOW_COMMISSIONERS):
        p = _person(admin, username, name, gender, rs, "高层次人才服务窗口专员", 10 + i)
        wcs[center] = services.appoint_commissioner(
            by=admin, window=tws[center], person=p, kind="window", appointed_on=opened, on=opened
        )
    dcs = {}
    for i, (username, name, gender, dept) in enumerate(DEPARTMENT_COMMISSIONERS):
        d = Department.objects.get(code=dept)
        p = _person(admin, username, name, gender, d, "人才服务部门专员", 20 + i)
        # 市场监管's commissioner was filed 12 working days after the change: flagged (TC-19).
        filed = today if dept == "QLSJ" else opened
        appointed = _back(today, 18) if dept == "QLSJ" else opened
        dcs[dept] = services.appoint_commissioner(
            by=admin,
            window=tws["QL"],
            person=p,
            kind="department",
            department=d,
            appointed_on=appointed,
            on=filed,
        )
    username, name, gender, dept, org_name = UNDERTAKING
    p = _person(admin, username, name, gender, Department.objects.get(code=dept), "承办专员", 30)
    cb = services.appoint_commissioner(
        by=admin,
        window=tws["QL"],
        person=p,
        kind="undertaking",
        organisation=org_name,
        appointed_on=opened,
        on=opened,
    )

    # Employers and their HR staff (unit commissioners), 40 talents with cards.
    from zwfw.org import services as org

    hr = {}
    for i, (code, name, (username, pname, gender), center) in enumerate(EMPLOYERS):
        d = Department.objects.filter(code=code).first() or org.create_department(
            by=admin, code=code, name=name, short_name=name[:6]
        )
        hr[code] = (
            _person(admin, username, pname, gender, d, "人力资源部专员", 40 + i),
            center,
            name,
        )
    talents = []
    for n in range(40):
        code = EMPLOYERS[n % 5][0]
        person, center, employer = hr[code]
        level = LEVELS[n % 10]
        t = services.register_talent(
            by=admin,
            window=tws[center],
            name=SURNAMES[n] + GIVEN[n % 10],
            id_number=_id_number(datetime.date(1970 + n % 20, 1 + n % 12, 1 + n % 28), n),
            employer=employer,
            level=level,
            phone=f"1386200{n:04d}",
            card={
                "kind": "shandong" if level in "AB" else "yimeng",
                "number": f"{'SD' if level in 'AB' else 'YM'}{today.year - 1}{n:05d}",
                "level": level,
                # Two cards have run out (a card check refuses them, TC-16).
                "valid_to": _back(today, 3)
                if n in (7, 33)
                else datetime.date(today.year + 2, 6, 30),
            },
            on=opened,
        )
        talents.append(t)
        if n == 13:
            continue  # the one gap: this talent's unit commissioner left and none is filed
        services.appoint_commissioner(
            by=admin,
            window=tws[center],
            person=person,
            kind="unit",
            talent=t,
            appointed_on=opened,
            on=opened,
        )
    services.check_status(
        by=admin,
        talent=talents[21],
        employed=True,
        lives_in_city=False,
        note="已随项目迁往外地，仍保留劳动关系",
        on=_back(today, 20),
    )
    for t in talents[:10]:
        services.check_status(
            by=admin, talent=t, employed=True, lives_in_city=True, on=_back(today, 30)
        )

    # Requests in every state (TC-17, TW-9, TW-10).
    from zwfw.catalog.models import ServiceItem

    it = {i.code: i for i in ServiceItem.objects.filter(code__in=[c for _d, c, *_ in NEW_ITEMS])}
    rs_item = ServiceItem.objects.filter(
        department=rs, green_channel=True, green_channel_mode="on_application"
    ).first()
    multi = [it["QLGA-RC-01"], it["QLZJ-RC-01"], it["QLSJ-RC-01"]]

    def uc(t):
        return t.commissioners.get(kind="unit", ended_on__isnull=True)

    def file(t, items, on):
        return services.file_request(
            by=admin, talent=t, items=items, unit_commissioner=uc(t), on=on
        )

    # 1. awaiting dispatch (YX)
    file(talents[0], multi, _back(today, 1))
    # 2. single item, in progress
    file(talents[1], [it["QLZJ-RC-01"]], today)
    # 3. dispatched: one task done, one delayed, one open
    r = file(talents[2], multi, _back(today, 6))
    tasks = {
        t.department.code: t for t in services.dispatch(by=admin, request=r, on=_back(today, 5))
    }
    services.complete_task(
        by=admin, task=tasks["QLGA"], result="已办理户籍迁入", on=_back(today, 3)
    )
    services.delay_task(
        by=admin,
        task=tasks["QLZJ"],
        explanation="房源调配需经市住房保障中心会议研究",
        new_due_date=today + datetime.timedelta(days=10),
        on=_back(today, 2),
    )
    # 4. overdue (red on the window page)
    file(talents[5], [it["QLZJ-RC-01"]], _back(today, 30))
    # 5. completed, not yet told to the talent
    r = file(talents[6], [it["QLSJ-RC-01"]], _back(today, 10))
    services.complete_task(
        by=admin, task=r.tasks.get(), result="营业执照已核发", on=_back(today, 9)
    )
    # 6. notified and rated, at both county windows
    for k, value in ((10, 5), (15, 4), (3, 5), (8, 2), (18, 3)):
        items = [rs_item] if rs_item is not None and k % 2 else [it["QLGA-RC-01"]]
        r = file(talents[k], items, _back(today, 60 + k))
        services.complete_task(
            by=admin, task=r.tasks.get(), result="已办结", on=_back(today, 58 + k)
        )
        services.notify_talent(by=admin, request=r, on=_back(today, 57 + k))
        services.rate_request(
            request=r,
            value=value,
            comment="" if value > 3 else "办理过程沟通不够",
            on=_back(today, 56 + k),
        )
    # 7. notified, not rated
    r = file(talents[4], [it["QLGA-RC-01"]], _back(today, 15))
    services.complete_task(by=admin, task=r.tasks.get(), result="已办结", on=_back(today, 14))
    services.notify_talent(by=admin, request=r, on=_back(today, 13))
    # Hotline referrals (TW-10, TC-14).
    services.record_referral(
        by=admin,
        window=tws["BS"],
        source="12345",
        ticket="QL12345-20250318-0042",
        summary="反映人才公寓配租进度慢",
        request=r,
        on=_back(today, 12),
    )
    services.record_referral(
        by=admin,
        window=tws["YX"],
        source="provincial",
        ticket="SDRC-0917",
        summary="咨询子女入学绿色通道政策",
        commissioner=dcs["QLRS"],
        department=rs,
        on=_back(today, 25),
    )

    # Training, daily assessment, commendation and accountability (TC-20, TC-22).
    services.record_training(
        by=admin,
        window=tws["QL"],
        title="高层次人才服务绿色通道政策及系统操作培训",
        held_on=_back(today, 45),
        attendees=[*wcs.values(), *dcs.values(), cb],
    )
    services.record_assessment(
        by=admin,
        commissioner=dcs["QLGA"],
        result="good",
        note="落户事项均提前办结",
        on=_back(today, 3),
    )
    services.record_assessment(
        by=admin,
        commissioner=dcs["QLZJ"],
        result="poor",
        note="配租任务超期未报备",
        on=_back(today, 1),
    )
    services.record_action(
        by=admin,
        commissioner=dcs["QLGA"],
        year=today.year - 1,
        kind="commendation",
        reason="全年办结人才事项均在承诺时限内，人才评价非常满意",
        decided_on=datetime.date(today.year, 1, 15),
    )
    services.record_action(
        by=admin,
        commissioner=dcs["QLZJ"],
        year=today.year - 1,
        kind="unit_notice",
        reason="人才公寓配租两次超期且未及时报备",
        decided_on=datetime.date(today.year, 1, 15),
    )

    # Archive filings (TW-14): 云溪县 files every period; 白石区 misses the last quarter.
    from zwfw.talents import rules
    from zwfw.workdays.calendar import add_workdays

    periods = [(opened.year, 3), (opened.year, 4), (opened.year, 0)] + [
        (today.year, q) for q in (1, 2, 3) if rules.period_end(today.year, q) < today
    ]
    for y, q in periods:
        due = add_workdays(rules.period_end(y, q), rules.ARCHIVE_FILING_WORKDAYS)
        if due < today:
            services.file_archives(
                by=admin, window=tws["YX"], year=y, quarter=q, on=min(due, today)
            )
    for y, q in periods[:-1]:
        due = add_workdays(rules.period_end(y, q), rules.ARCHIVE_FILING_WORKDAYS)
        late = (y, q) == periods[-2]
        filed_on = add_workdays(due, 6) if late else due
        if filed_on < today:
            services.file_archives(by=admin, window=tws["BS"], year=y, quarter=q, on=filed_on)

    # Window grades (TW-17): 白石区 不达标 with its interview and explanation.
    graded_on = datetime.date(today.year, 1, 20)
    services.grade_window(
        by=admin,
        window=tws["YX"],
        year=today.year - 1,
        manual_score=27,
        manual_note="专员队伍健全，政策宣传到位",
        on=graded_on,
    )
    fail = services.grade_window(
        by=admin,
        window=tws["BS"],
        year=today.year - 1,
        manual_score=3,
        manual_note="窗口专员长期兼职，服务档案未建立完整",
        on=graded_on,
    )
    if fail.grade == "fail":
        services.record_interview(
            by=admin,
            grade=fail,
            interviewee="邓一帆（白石区高层次人才服务窗口负责人）",
            held_on=datetime.date(today.year, 1, 27),
            notes="指出专员配备、档案管理和事项落实中的问题，责成限期整改",
            meeting_on=datetime.date(today.year, 2, 10),
            meeting_explanation="在市高层次人才服务绿色通道联席会议上说明原因并报告整改措施",
        )
    return (
        f"3 talent windows, {Talent.objects.count()} talents, "
        f"{len(wcs) + len(dcs) + 1 + 39} commissioners (1 gap), requests in every state"
    )
