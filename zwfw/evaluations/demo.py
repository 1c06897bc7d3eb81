"""Demo 好差评 of 青岚市: ratings on most completed demo cases (SMS, web, QR and evaluator
devices), on-site ratings of window visits and QR sheets, bad reviews at every step of their
rectification (one overdue and escalated), one pending and one upheld appeal, an evaluator
device per window, and the defaults and invitations of unrated cases.

Through the services with explicit dates (the cases demo's clock: today), so the audit chain
and the outbox look as real use would leave them. Idempotent: once ratings exist, a second
run adds nothing. Seeded, so a fresh database gives the same data for the same day.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from zwfw.evaluations import services, tokens
from zwfw.evaluations.models import (
    Evaluation,
    EvaluationChannel,
    EvaluatorDevice,
    Rectification,
    is_bad_level,
)
from zwfw.workdays import calendar

# National stars (5 非常满意 … 1 非常不满意); the first three are the good ones.
LEVEL_WEIGHTS = [(5, 56), (4, 24), (3, 12), (2, 5), (1, 3)]
CHANNEL_WEIGHTS = [("sms", 40), ("web", 25), ("qr", 20), ("device", 15)]
BAD = [
    ("超过承诺时限才办结，也没有提前告知", ["over_limit"]),
    ("窗口要求额外提供无犯罪记录证明，办事指南里没有", ["extra_materials", "inaccurate_guide"]),
    ("工作人员态度冷淡，问了三遍才回答", ["attitude"]),
    ("来了三趟才办成，每次说法不一样", ["repeated_trips", "extra_conditions"]),
    ("排队等了一个多小时", ["long_wait"]),
]
GOOD = [
    ("", []),
    ("办事很快，一次就办好了", ["efficient", "one_visit"]),
    ("窗口人员耐心细致", ["friendly"]),
    ("", ["efficient"]),
]
# Old bad reviews, oldest first, go through these steps (the rest are closed); three fresh
# on-site ones are still in progress.
OLD_SCENARIOS = ["closed", "overdue", "closed_late", "appeal_upheld"]
FRESH_SCENARIOS = ["rectified", "appeal_pending", "called_back"]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


class _Demo:
    def __init__(self, today: datetime.date):
        self.today = today
        self.rng = random.Random(20260601)
        self.cal = calendar.current()
        self.admin = _user("admin")
        self.center_admin = _user("zhongxin")
        self.counts: dict[str, int] = {}

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def workday_back(self, n: int) -> datetime.date:
        day = self.today
        while n > 0:
            day -= datetime.timedelta(days=1)
            n -= self.cal.is_workday(day)
        return day

    def later(self, day: datetime.date, n: int) -> datetime.date:
        return min(self.cal.add_workdays(day, n) if n > 0 else day, self.today)

    def pick(self, weights):
        values, w = zip(*weights, strict=True)
        return self.rng.choices(values, weights=w)[0]

    def words(self, level: int):
        return self.rng.choice(BAD if is_bad_level(level) else GOOD)

    def devices(self) -> dict[int, EvaluatorDevice]:
        from zwfw.org.models import Window

        found = {}
        for window in Window.objects.filter(active=True).select_related("center", "department"):
            device, _token = services.register_device(
                by=self.admin, window=window, name=f"{window.number}号窗口评价器"
            )
            found[window.pk] = device
            self.count("devices")
        return found

    def integrator(self) -> None:
        """The provincial 好差评 system's account (API.md integrator): its ratings count as
        confirmed. Log in as `haochaping` with the demo password to post ratings."""
        from zwfw.org.demo import DEMO_PASSWORD

        user, _created = get_user_model().objects.get_or_create(
            username="haochaping", defaults={"first_name": "省好差评系统"}
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        services.register_integrator(by=self.admin, user=user, name="省政务服务好差评系统")
        self.count("integrators")

    def rate_cases(self, devices) -> None:
        from zwfw.cases.models import Case

        by_department: dict[int, EvaluatorDevice] = {}
        for device in devices.values():
            if device.window.department_id:
                by_department.setdefault(device.window.department_id, device)
        cases = (
            Case.objects.filter(status="completed")
            .select_related("item", "department", "center")
            .order_by("completed_on", "id")
        )
        for case in cases:
            if self.rng.random() < 0.22:
                continue  # left unrated: invitations and defaults below
            level = self.pick(LEVEL_WEIGHTS)
            channel = self.pick(CHANNEL_WEIGHTS)
            device = by_department.get(case.department_id) if channel == "device" else None
            if channel == "device" and device is None:
                channel = "sms"
            comment, tags = self.words(level)
            on = min(
                case.completed_on + datetime.timedelta(days=self.rng.randint(0, 3)), self.today
            )
            services.rate_case(
                case=case,
                level=level,
                channel=channel,
                comment=comment,
                tags=tags,
                device=device,
                on=on,
            )
            self.count("case ratings")

    def rate_visits(self, devices) -> None:
        """On-site: visits ended by staff or devices, and QR sheet ratings."""
        from zwfw.cases.demo import PREFIX

        for i, device in enumerate(devices.values()):
            window = device.window
            clerk = (
                _user(f"{PREFIX.get(window.department.code, '')}_chuangkou")
                if (window.department_id)
                else None
            )
            for j in range(2):
                on = self.cal.add_workdays(self.today - datetime.timedelta(days=30), 1 + i + j * 7)
                on = min(on, self.today)
                by = clerk if j == 0 and clerk is not None else None
                visit, token = services.start_visit(
                    by=by, device=None if by else device, window=window
                )
                level = 1 if (i, j) == (1, 1) else self.pick(LEVEL_WEIGHTS[:3])
                comment, tags = self.words(level)
                services.rate_visit(
                    token=token,
                    level=level,
                    comment=comment,
                    tags=tags,
                    device=None if by else device,
                    rater_phone="13800138000" if is_bad_level(level) else "",
                    on=on,
                )
                self.count("visit ratings")
            if i % 3 == 0:
                services.rate_at_sheet(
                    nonce=tokens.new_secret(),
                    window=window,
                    level=self.pick(LEVEL_WEIGHTS[:3]),
                    comment="扫码评价：服务很好",
                    on=self.later(self.today - datetime.timedelta(days=10), i % 5),
                )
                self.count("sheet ratings")

    def make_bad(self) -> list[Rectification]:
        """Enough old bad reviews for the scenarios (the dice may give too few), and three
        fresh on-site ones (visits of the last working days) still in progress."""
        from zwfw.cases.models import Case

        old = Rectification.objects.filter(opened_on__lte=self.workday_back(6)).count()
        missing = len(OLD_SCENARIOS) + 1 - old
        rated = Evaluation.objects.filter(case__isnull=False).values("case_id")
        spare = (
            Case.objects.filter(status="completed")
            .exclude(id__in=rated)
            .select_related("item", "department", "center")
            .order_by("completed_on", "id")[: max(missing, 0)]
        )
        for case in spare:
            comment, tags = self.rng.choice(BAD)
            services.rate_case(
                case=case,
                level=self.rng.choice([1, 2]),
                channel="sms",
                comment=comment,
                tags=tags,
                on=min(case.completed_on + datetime.timedelta(days=1), self.today),
            )
            self.count("case ratings")
        fresh = []
        windows = [
            d.window
            for d in EvaluatorDevice.objects.select_related("window__center", "window__department")
            .filter(window__department__isnull=False)
            .order_by("id")[:3]
        ]
        for back, window in zip((3, 2, 1), windows, strict=False):
            visit, token = services.start_visit(by=self.admin, window=window)
            comment, tags = BAD[back]
            # The rater confirmed the phone with an SMS code (a ticket needs it, point 6).
            evaluation = services.rate_visit(
                token=token,
                level=2,
                comment=comment,
                tags=tags,
                rater_phone="13800138000",
                phone_confirmed=True,
                on=self.workday_back(back),
            )
            fresh.append(evaluation.rectification)
            self.count("visit ratings")
        return fresh

    def follow_up(self, fresh: list[Rectification]) -> None:
        fresh_ids = {r.pk for r in fresh}
        old_before = self.workday_back(6)
        tickets = list(
            Rectification.objects.exclude(pk__in=fresh_ids)
            .select_related("department", "evaluation")
            .order_by("opened_on", "id")
        )
        plan = []
        for rect in tickets:
            if rect.opened_on <= old_before:
                scenario = OLD_SCENARIOS[len(plan)] if len(plan) < len(OLD_SCENARIOS) else "closed"
            elif rect.opened_on < self.workday_back(1):
                scenario = "closed"  # steps done by today at the latest
            else:
                continue  # reviewed today or yesterday: the callback is not due yet
            plan.append((rect, scenario))
        plan += list(zip(fresh, FRESH_SCENARIOS, strict=False))
        for rect, scenario in plan:
            owner = self.owner(rect)
            if owner is not None:
                self.step(rect, scenario, owner)
                self.count(f"rectification {scenario}")

    def owner(self, rect):
        from zwfw.cases.demo import PREFIX

        prefix = PREFIX.get(rect.department.code, "") if rect.department_id else ""
        return _user(f"{prefix}_admin") if prefix else self.center_admin

    def step(self, rect, scenario: str, owner) -> None:
        opened = rect.opened_on
        if scenario == "overdue":
            return  # nobody called back: the nightly refresh turns it red and escalates it
        if scenario.startswith("appeal"):
            appeal = services.file_appeal(
                evaluation=rect.evaluation,
                by=owner,
                reason="经调取窗口录像核实，评价人所述情况与事实不符，系误评",
                on=self.later(opened, 1),
            )
            if scenario == "appeal_upheld":
                services.decide_appeal(
                    appeal=appeal,
                    by=self.center_admin,
                    upheld=True,
                    opinion="经复核，录像显示当日按时办结，申诉成立，核减该评价",
                    on=self.later(opened, 2),
                )
                return
        late = 2 if scenario == "closed_late" else 1
        rect = services.call_back(
            rectification=rect,
            by=owner,
            finding="true",
            note="已电话回访评价人，情况属实，已致歉",
            on=self.later(opened, late),
        )
        if scenario in ("called_back", "appeal_pending"):
            return
        rect = services.record_rectified(
            rectification=rect,
            by=owner,
            note="已对窗口人员进行批评教育，完善一次性告知内容",
            on=self.later(opened, 3),
        )
        if scenario == "rectified":
            return
        rect = services.report_back(
            rectification=rect,
            by=owner,
            note="已核实并整改，窗口人员已接受批评教育",
            on=self.later(opened, 4),
        )
        services.close_rectification(
            rectification=rect,
            by=owner,
            result="整改完成，评价人表示认可",
            on=self.later(opened, 5),
        )


def load() -> str:
    from zwfw.cases.models import Case

    if Evaluation.objects.exists():
        return f"skipped: {Evaluation.objects.count()} ratings already exist"
    if not Case.objects.filter(status="completed").exists():
        return "skipped: no completed demo cases (load the cases demo first)"
    demo = _Demo(timezone.localdate())
    if demo.admin is None or demo.center_admin is None:
        return "skipped: the org demo (accounts) is not loaded"
    devices = demo.devices()
    demo.integrator()
    demo.rate_cases(devices)
    demo.rate_visits(devices)
    demo.follow_up(demo.make_bad())
    unrated = services.process_unrated(on=demo.today)
    refreshed = services.refresh_rectifications(on=demo.today)
    parts = ", ".join(f"{k} {v}" for k, v in sorted(demo.counts.items()))
    channels = ", ".join(
        f"{c} {Evaluation.objects.filter(channel=c).count()}" for c in EvaluationChannel.values
    )
    return (
        f"{Evaluation.objects.count()} ratings ({channels}); {parts}; "
        f"{unrated['invited']} invited, {unrated['defaulted']} defaults; "
        f"{refreshed['escalated']} escalated"
    )
