"""Demo first-inquiry log (首问登记, R-16, C-2.2): a few inquiries a week at each department's
window over the last three months, some with the one-time notice of all materials, some
referred to another department's window. Through the service with explicit days; seeded."""

import datetime
import random

from django.contrib.auth import get_user_model

from zwfw.cases.models_docs import Inquiry
from zwfw.cases.services.inquiries import log_inquiry
from zwfw.catalog.models import ServiceItem
from zwfw.core.errors import RuleViolation
from zwfw.org.models import Window
from zwfw.workdays import calendar

QUESTIONS = [
    ("{item}需要准备哪些材料？", "已逐项告知全部申请材料及份数"),
    ("{item}多久能办好？", "已告知承诺办结时限及进度查询方式"),
    ("{item}可以网上申请吗？", "已告知网上申请入口，材料标准与窗口一致"),
    ("{item}收费吗？", "已告知收费依据及标准"),
]
REFERRALS = ["咨询事项属其他部门职责，已引导至相应窗口", "需现场核验，已引导至综合窗口"]
NAMES = ["王先生", "李女士", "张先生", "刘女士", "陈先生", "杨女士", "赵先生", "周女士"]


def _days(today: datetime.date, count: int, rng: random.Random) -> list[datetime.date]:
    cal = calendar.current()
    days = []
    while len(days) < count:
        day = today - datetime.timedelta(days=rng.randint(0, 90))
        if cal.is_workday(day):
            days.append(day)
    return sorted(days)


def load(today: datetime.date, prefixes: dict[str, str], per_department: int = 10) -> int:
    if Inquiry.objects.exists():
        return 0
    rng = random.Random(20260316)
    users = get_user_model().objects.select_related("person__department__center")
    done = 0
    for prefix in prefixes.values():
        clerk = users.filter(username=f"{prefix}_chuangkou").first()
        person = getattr(clerk, "person", None)
        if person is None or person.department.center is None:
            continue
        center = person.department.center
        window = Window.objects.filter(center=center, department=person.department).first()
        others = list(
            Window.objects.filter(center=center).exclude(department=person.department)[:5]
        )
        items = list(ServiceItem.objects.filter(department=person.department, active=True)[:6])
        for day in _days(today, per_department, rng):
            item = rng.choice(items) if items else None
            question, answer = rng.choice(QUESTIONS)
            referred = others and rng.random() < 0.2
            kwargs = {
                "by": clerk,
                "window": window,
                "asker_name": rng.choice(NAMES),
                "asker_phone": f"139{rng.randint(10000000, 99999999)}",
                "item": item,
                "question": question.format(item=item.name if item else "办事"),
                "answer": answer,
                "notice_given": item is not None and not referred and rng.random() < 0.6,
                "referred_to_window": rng.choice(others) if referred else None,
                "referral_note": rng.choice(REFERRALS) if referred else "",
                "on": day,
            }
            try:
                log_inquiry(**kwargs)
            except RuleViolation:  # an item without a guide cannot be notified: log without
                log_inquiry(**{**kwargs, "notice_given": False})
            done += 1
    return done
