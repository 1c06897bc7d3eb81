"""Demo cases of 青岚市: a few hundred applications over the last three months, in every
state: one-time notices, pauses, an extension per department, committee referrals, some
yellow and some red. Through the services with explicit dates, so the timeline, the audit
chain and the outbox look as real use would leave them.

Idempotent: once demo cases exist, a second run adds nothing. Seeded, so every run on a fresh
database gives the same cases for the same day.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from zwfw.cases import services
from zwfw.cases.models import Case, Procedure, Project
from zwfw.cases.services.base import limit_days_of
from zwfw.core.errors import RuleViolation
from zwfw.core.validators import credit_code_check_char, id_number_check_digit
from zwfw.grants.selectors import authority_for
from zwfw.org.models import Person
from zwfw.workdays import calendar

PREFIX = {"QLGA": "ga", "QLJT": "jt", "QLZR": "zr", "QLSJ": "sj", "QLRS": "rs", "QLZJ": "zj"}
PER_DEPARTMENT = 50
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["晓明", "丽华", "建国", "雅琴", "子涵", "浩然", "欣怡", "志强", "婷婷", "宇航"]
COMPANIES = [
    "青岚云帆科技有限公司",
    "青岚恒达建设工程有限公司",
    "青岚绿源农业发展有限公司",
    "青岚新材料股份有限公司",
    "青岚安泰保安服务有限公司",
    "云溪物流运输有限公司",
    "青岚康宁医药连锁有限公司",
    "青岚华府房地产开发有限公司",
]
PROJECTS = [
    ("QLXM-2026-001", "青岚新材料产业园项目", "青岚新材料股份有限公司"),
    ("QLXM-2026-002", "高新区智能制造基地项目", "青岚云帆科技有限公司"),
    ("QLXM-2026-003", "青岚新城商住综合体项目", "青岚华府房地产开发有限公司"),
]
OPEN_KINDS = {"accepted", "paused", "notice", "received", "extended", "referred"}
# Scenario weights: how far each case goes.
SCENARIOS = [
    ("completed", 34),
    ("decided", 8),
    ("accepted", 22),
    ("paused", 6),
    ("notice", 8),
    ("received", 5),
    ("refused", 4),
    ("withdrawn", 3),
    ("terminated", 2),
    ("extended", 4),
    ("referred", 4),
]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


class _Demo:
    def __init__(self, today: datetime.date):
        self.today = today
        self.rng = random.Random(20260101)
        self.cal = calendar.current()
        self.admin = _user("zhongxin")
        self.projects = []
        self.counts: dict[str, int] = {}

    def workday_back(self, n: int) -> datetime.date:
        day = self.today
        while n > 0:
            day -= datetime.timedelta(days=1)
            n -= self.cal.is_workday(day)
        return day

    def later(self, day: datetime.date, n: int) -> datetime.date:
        return self.cal.add_workdays(day, n) if n > 0 else day

    def applicant(self) -> services.ApplicantData:
        r = self.rng
        if r.random() < 0.45:
            seq = r.randint(1, 40)
            first17 = f"91371000MA{seq:07d}"
            return services.ApplicantData(
                kind="organisation",
                name=COMPANIES[seq % len(COMPANIES)]
                if seq <= len(COMPANIES)
                else f"青岚示范企业{seq}有限公司",
                credit_code=first17 + credit_code_check_char(first17),
            )
        seq = r.randint(1, 60)
        birth = datetime.date(1970 + seq % 30, 1 + seq % 12, 1 + seq % 27)
        first17 = f"371002{birth:%Y%m%d}{seq * 7 % 1000:03d}"
        name = SURNAMES[seq % len(SURNAMES)] + GIVEN[seq % len(GIVEN)]
        return services.ApplicantData(
            kind="person", name=name, id_number=first17 + id_number_check_digit(first17)
        )

    def scenario(self) -> str:
        names, weights = zip(*SCENARIOS, strict=True)
        return self.rng.choices(names, weights=weights)[0]

    def meetings(self):
        from zwfw.grants import services as g
        from zwfw.grants.models import CommitteeMeeting, DecisionCommittee

        committee = DecisionCommittee.objects.filter(center__code="QL").first()
        if committee is None:
            return None, None
        past = CommitteeMeeting.objects.filter(
            committee=committee, title="审批决策委员会第2次会议"
        ).first() or g.schedule_meeting(
            by=self.admin,
            committee=committee,
            title="审批决策委员会第2次会议",
            held_on=self.workday_back(8),
            location="中心三楼会议室",
        )
        coming = CommitteeMeeting.objects.filter(
            committee=committee, title="审批决策委员会第3次会议"
        ).first() or g.schedule_meeting(
            by=self.admin,
            committee=committee,
            title="审批决策委员会第3次会议",
            held_on=self.later(self.today, 5),
            location="中心三楼会议室",
        )
        return past, coming

    def run(self, code: str, meetings) -> None:
        from zwfw.catalog.models import ServiceItem

        prefix = PREFIX[code]
        clerk, chief, admin = (
            _user(f"{prefix}_chuangkou"),
            _user(f"{prefix}_shouxi"),
            _user(f"{prefix}_admin"),
        )
        items = list(
            ServiceItem.objects.filter(department__code=code, active=True)
            .select_related("department__center")
            .prefetch_related("versions")
        )
        if not items or clerk is None:
            return
        extended = False
        for _ in range(PER_DEPARTMENT):
            item = self.rng.choice(items)
            published = min((v.effective_from for v in item.versions.all()), default=None)
            if published is None:
                continue
            kind = self.scenario()
            if kind in OPEN_KINDS:
                # Open cases are mostly within their limit: some yellow, a few red.
                limit = limit_days_of(item)
                back = self.rng.randint(0, limit + (3 if self.rng.random() < 0.2 else -1))
                back = (
                    min(max(back, 0), 7 if kind == "received" else 4)
                    if kind in ("received", "notice")
                    else back
                )
            else:
                back = self.rng.randint(3, 62)
            received = max(self.workday_back(back), published)
            if kind == "extended":
                kind = "extended" if not extended else "accepted"
                extended = True
            try:
                self.one(item, kind, received, clerk, chief, admin, meetings)
            except RuleViolation:
                kind = "rule_refused"
            self.counts[kind] = self.counts.get(kind, 0) + 1

    def one(self, item, kind, on, clerk, chief, admin, meetings) -> None:
        r = self.rng
        names = [m.name for m in item.guide.materials.all()] if hasattr(item, "guide") else []
        required = (
            [m.name for m in item.guide.materials.all() if m.required]
            if hasattr(item, "guide")
            else []
        )
        short = kind == "notice" or (r.random() < 0.2 and kind not in ("received",))
        given = [n for n in names if not (short and n == required[-1:][0])] if required else names
        # An item whose center closed online applications is taken in at the window;
        # the random draw stays, so the rest of the demo is the same.
        online = r.random() < 0.35 and _online_open(item)
        project = r.choice(self.projects) if self.projects and r.random() < 0.1 else None
        phone = f"139{r.randint(10000000, 99999999)}"
        case = services.take_in(
            by=None if online else clerk,
            item=item,
            applicant=self.applicant(),
            phone=phone,
            channel="online" if online else "window",
            materials={n: "" for n in given},
            project=project,
            on=on,
            # The loader stands in for its invented applicants' SMS codes.
            proof=services.PhoneProof(phone, "apply", item.code) if online else None,
        )
        if case.status != "received" or kind == "received":
            return
        step = on
        if short and required:
            step = self.later(step, r.randint(0, 2))
            case = services.send_supplement_notice(case=case, by=clerk, missing=[], on=step)
            if kind == "notice" or self.later(step, 3) > self.today:
                return
            step = self.later(step, r.randint(1, 3))
            case = services.supplement_case(
                case=case, by=None, materials={required[-1]: "electronic"}, on=step
            )
        step = min(self.later(step, r.randint(0, 2)), self.today)
        if kind == "refused":
            services.refuse_case(
                case=case,
                by=clerk,
                reason="申请事项不属于本部门职权范围",
                competent_authority="青岚市应急管理局",
                on=step,
            )
            return
        if kind in ("withdrawn", "terminated") and r.random() < 0.5:
            services.withdraw_case(
                case=case,
                by=None,
                reason="申请人主动撤回申请",
                on=step,
                proof=services.PhoneProof(case.phone, "withdraw", case.number),
            )
            return
        case = services.accept_case(case=case, by=clerk, on=step)
        if kind == "withdrawn":
            services.withdraw_case(case=case, by=clerk, reason="申请人书面申请撤回", on=step)
            return
        if kind == "terminated":
            services.terminate_case(
                case=case, by=admin, reason="申请主体已依法注销，终止办理", on=step
            )
            return
        if kind in ("paused", "completed") and r.random() < (1 if kind == "paused" else 0.15):
            start = min(self.later(step, r.randint(1, 3)), self.today)
            case = services.pause_case(
                case=case,
                by=chief,
                reason=r.choice(["site_inspection", "expert_review", "testing"]),
                note="按规定组织现场踏勘、评审",
                on=start,
            )
            end = self.later(start, r.randint(2, 6))
            if kind == "paused" or end > self.today:
                return
            case = services.resume_case(case=case, by=chief, on=end)
            step = end
        if kind == "extended":
            case = services.extend_case(
                case=case,
                by=admin,
                days=5,
                reason="涉及多个部门会商，需延长办理期限",
                on=min(self.later(step, 2), self.today),
            )
            return
        if kind == "referred" or case.procedure != Procedure.FINAL:
            past, coming = meetings
            meeting = (
                past if past and past.status == "scheduled" and step <= past.held_on else coming
            )
            if meeting is not None and kind in ("referred", "completed", "decided"):
                services.refer_case(
                    case=case,
                    by=chief if case.procedure != "normal" else admin,
                    meeting=meeting,
                    note="情况复杂，提请委员会研究",
                    on=step,
                )
            return
        if kind == "accepted":
            return
        decided = min(self.later(step, r.randint(1, max(1, case.limit_days - 1))), self.today)
        if authority_for(Person.objects.get(user=chief), item, on=decided) is None:
            return
        case = services.decide_case(
            case=case,
            by=chief,
            result="approve",
            opinion="材料齐全，符合法定条件，准予许可",
            use_seal=True,
            on=decided,
        )
        if kind == "completed":
            done = min(self.later(decided, 1), self.today)
            _deliver_and_complete(case, clerk, done, post=bool(case.pk % 3 == 0))

    def committee_decides(self, meeting) -> int:
        """The past meeting sits: attendance, then a named vote on each referred case."""
        from zwfw.grants import services as g

        if meeting is None or meeting.status != "scheduled" or not meeting.agenda_items.exists():
            return 0
        members = list(meeting.committee.members.filter(active=True))
        g.record_attendance(by=self.admin, meeting=meeting, present=members)
        done = 0
        for agenda in meeting.agenda_items.filter(result="pending"):
            choice = "for" if done % 4 else "against"
            g.decide_agenda_item(
                by=self.admin,
                item=agenda,
                votes={m.pk: ("for" if i else choice) for i, m in enumerate(members)},
                decision_text="经委员会研究，按表决结果作出决定",
            )
            done += 1
        # Approved results are delivered the next working day.
        for case in Case.objects.filter(
            committee_meeting=meeting, status="decided", result="approve"
        ).select_related("department"):
            clerk = _user(f"{PREFIX.get(case.department.code, '')}_chuangkou")
            if clerk is not None:
                when = min(self.later(meeting.held_on, 1), self.today)
                _deliver_and_complete(case, clerk, when, post=False)
        return done


def _deliver_and_complete(case, clerk, on, *, post: bool) -> None:
    """送达 before 办结 (issue 12 point 6): by post for some cases, at the window otherwise."""
    from zwfw.cases.services.delivery import record_delivery

    if post:
        record_delivery(
            case=case, by=clerk, method="post", tracking_number=f"EMS{case.pk:09d}CN", on=on
        )
    else:
        record_delivery(case=case, by=clerk, method="window", note="申请人窗口领取", on=on)
    services.complete_case(case=case, by=clerk, on=on)


def _online_open(item) -> bool:
    from zwfw.catalog.channel_selectors import channels_of

    return channels_of(item).accepted["online"]


def load() -> str:
    if Case.objects.exists():
        return f"skipped: {Case.objects.count()} cases already exist"
    if not Person.objects.filter(user__username="ga_shouxi", grants__isnull=False).exists():
        return "skipped: the grants demo (chief officers' grants) is not loaded"
    demo = _Demo(timezone.localdate())
    for code, name, investor in PROJECTS:
        project = Project.objects.filter(code=code).first() or services.create_project(
            by=demo.admin, code=code, name=name, investor=investor
        )
        demo.projects.append(project)
    meetings = demo.meetings()
    for code in PREFIX:
        demo.run(code, meetings)
    decided = demo.committee_decides(meetings[0])
    from zwfw.cases import demo_steps

    demo_steps.load(demo)  # the normal procedure: 承办 → 审核 → 审批 (issue 12 point 1)
    from zwfw.cases import demo_joint

    demo_joint.load(demo)  # 一事联办: two themes, joint cases in several states (point 3)
    result = services.refresh_open_cases(on=demo.today)
    from zwfw.cases import demo_inquiries

    inquiries = demo_inquiries.load(demo.today, PREFIX)
    parts = ", ".join(f"{k} {v}" for k, v in sorted(demo.counts.items()))
    return (
        f"{Case.objects.count()} cases ({parts}); {decided} decided by the committee; "
        f"{result['deemed_accepted']} deemed accepted; {inquiries} inquiries logged"
    )
