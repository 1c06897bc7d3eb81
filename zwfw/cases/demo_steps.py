"""Demo of the normal procedure (issue 12 point 1): 民用爆炸物品购买许可, left off the chief
service officer list for public safety, handled 承办 → 审核 → 审批 by the post holders of
the public security bureau (org.demo POST_HOLDERS), in several states: waiting for each
step, paused for an inspection, approved, denied, delivered and completed.

Through the services with explicit dates; called once by cases.demo.load."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from zwfw.cases import services
from zwfw.core.errors import RuleViolation

ITEM_NAME = "民用爆炸物品购买许可"
GUIDE_STEPS = [
    {"name": "受理", "post": "窗口受理岗", "days": 0, "description": "材料齐全的当场受理"},
    {"name": "承办", "post": "承办", "days": 2, "description": "审查材料，核对购买数量和用途"},
    {"name": "审核", "post": "审核", "days": 2, "description": "复核承办意见，必要时现场核查"},
    {"name": "审批", "post": "审批", "days": 1, "description": "作出准予或不予许可的决定"},
    {"name": "办结送达", "post": "窗口出件岗", "days": 0, "description": "窗口领取或邮寄送达"},
]
OPINIONS = {
    "承办": "材料齐全，购买数量与爆破作业合同相符，拟同意",
    "审核": "经复核，承办意见属实，同意",
}
# (label, working days ago received, steps done, what follows)
SCENARIOS = [
    ("待承办", 1, 0, ""),
    ("待审核", 2, 1, ""),
    ("待审批", 3, 2, ""),
    ("暂停计时", 3, 1, "pause"),
    ("准予许可", 4, 3, "approve"),
    ("不予许可", 4, 3, "deny"),
    ("已办结", 5, 3, "complete"),
]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _item(admin):
    """The excluded item, its guide's steps set to 承办 → 审核 → 审批 (a new version in force
    from before the demo cases, so they are received under it)."""
    from zwfw.catalog import services as catalog_services
    from zwfw.catalog.models import ServiceItem

    item = ServiceItem.objects.filter(
        department__code="QLGA", name=ITEM_NAME, active=True, chief_list_included=False
    ).first()
    if item is None:
        return None
    posts = list(item.guide.steps.values_list("post", flat=True)) if hasattr(item, "guide") else []
    if "审批" not in posts:
        item = catalog_services.update_item(
            by=admin,
            item=item,
            changes={"steps": GUIDE_STEPS},
            reason="按一般程序细化办理环节：承办、审核、审批（R-15）",
            now=timezone.now() - datetime.timedelta(days=60),
        )
    return item


def load(demo) -> int:
    """Normal-procedure cases for the demo (`demo` is cases.demo._Demo: dates, applicants)."""
    admin = _user("ga_admin")
    clerk = _user("ga_chuangkou")
    by_post = {p: _user(u) for p, u in (("承办", "ga_chengban"), ("审核", "ga_shenhe"))}
    by_post["审批"] = _user("ga_shenpi")
    if admin is None or clerk is None or None in by_post.values():
        return 0
    item = _item(admin)
    if item is None:
        return 0
    names = [m.name for m in item.guide.materials.all()]
    made = 0
    for label, back, done, then in SCENARIOS:
        try:
            _one(demo, item, names, clerk, admin, by_post, back, done, then)
        except RuleViolation:
            continue  # a demo day the calendar does not allow: leave it out
        made += 1
        demo.counts[f"normal:{label}"] = demo.counts.get(f"normal:{label}", 0) + 1
    return made


def _one(demo, item, names, clerk, admin, by_post, back, done, then) -> None:
    received = demo.workday_back(back)
    phone = f"138{demo.rng.randint(10000000, 99999999)}"
    case = services.take_in(
        by=clerk,
        item=item,
        applicant=demo.applicant(),
        phone=phone,
        channel="window",
        materials={n: "paper" for n in names},
        on=received,
    )
    case = services.accept_case(case=case, by=clerk, on=received)
    day = received
    plan = [("承办", ""), ("审核", "approve"), ("审批", "deny" if then == "deny" else "approve")]
    for step, result in plan[:done]:
        day = min(demo.later(day, 1), demo.today)
        opinion = OPINIONS.get(step) or (
            "购买用途与爆破作业项目不符，不予许可" if result == "deny" else "同意，准予许可"
        )
        case = services.record_step(
            case=case, by=by_post[step], step=step, opinion=opinion, result=result, on=day
        )
    if then == "pause":
        services.pause_case(
            case=case,
            by=by_post["审核"],
            reason="site_inspection",
            note="对储存场所进行现场核查",
            on=min(demo.later(day, 1), demo.today),
        )
    elif then == "complete":
        from zwfw.cases.demo import _deliver_and_complete

        _deliver_and_complete(case, clerk, min(demo.later(day, 1), demo.today), post=False)
