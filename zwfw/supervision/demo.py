"""Demo supervision for 青岚市: an inspector pool across departments, one completed double-random
draw (with one problem found and rectified) and one in progress (with an open rectification),
about thirty 12345 tickets linked to demo cases, one interference report and one
fault-tolerance record. Through the services, so the audit chain looks as real use leaves it.

Idempotent: each part is skipped when it exists. Seeded, so a fresh database gives the same
draws for the same day.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from zwfw.cases.models import Case
from zwfw.cases.states import CaseState
from zwfw.grants.models import Grant
from zwfw.grants.selectors import in_force_q
from zwfw.org.models import Person
from zwfw.supervision import selectors, services
from zwfw.supervision.models import (
    FaultToleranceRecord,
    HotlineFeedback,
    Inspection,
    InspectionDraw,
    InspectorPoolMember,
    InterferenceReport,
)

# The supervisor and one administrator of each city department: cross-department checks.
POOL = ["ducha", "ga_admin", "jt_admin", "zr_admin", "sj_admin", "rs_admin", "zj_admin"]
COMPLETED_TITLE = "第一批办件双随机抽查（卷宗抽查）"
IN_PROGRESS_TITLE = "第二批办件双随机抽查（系统调取）"
HOTLINE_TEXTS = {
    "complaint": [
        "反映窗口办理时间过长，排队超过一小时",
        "反映窗口工作人员要求提供清单以外的材料",
        "反映办件超过承诺时限仍未办结",
    ],
    "consultation": ["咨询办理所需材料及办理时限", "咨询网上申请的操作流程"],
    "help": ["申请人年事已高，请求上门帮办", "营业执照遗失，请求指导补办"],
    "suggestion": ["建议延长周六办理时间", "建议增加自助终端数量"],
    "praise": ["表扬窗口工作人员耐心细致、一次办结", "表扬首席服务员主动靠前服务"],
}
KINDS = ["complaint"] * 3 + ["consultation"] * 3 + ["help", "suggestion", "praise", "praise"]


def _user(username):
    return get_user_model().objects.filter(username=username).select_related("person").first()


def _pool(today: datetime.date) -> int:
    supervisor = _user("ducha")
    added = 0
    for username in POOL:
        user = _user(username)
        person = getattr(user, "person", None)
        if person is None or InspectorPoolMember.objects.filter(person=person).exists():
            continue
        services.add_pool_member(
            by=supervisor, person=person, since=today - datetime.timedelta(days=120)
        )
        added += 1
    return added


def _inspect(draw: InspectionDraw, *, problem_at: int, pending_from: int, today) -> None:
    """Record findings in position order: one problem, the rest passed, some left pending."""
    for row in Inspection.objects.filter(draw=draw).select_related("inspector__user"):
        if row.position >= pending_from:
            continue
        problem = row.position == problem_at
        services.record_finding(
            by=row.inspector.user,
            inspection=row,
            result="problem" if problem else "passed",
            method=draw.method,
            category="irregular_documents" if problem else "",
            note="准予许可决定书未载明救济途径和期限" if problem else "材料齐全，程序规范",
            on=today,
        )


def _draws(today: datetime.date) -> list[str]:
    supervisor = _user("ducha")
    done = []
    plans = [
        (COMPLETED_TITLE, 90, 31, 6, 20260601, "case_file"),
        (IN_PROGRESS_TITLE, 30, 1, 5, 20260602, "system_retrieval"),
    ]
    for title, start_back, end_back, size, seed, method in plans:
        if InspectionDraw.objects.filter(title=title).exists():
            continue
        start = today - datetime.timedelta(days=start_back)
        end = today - datetime.timedelta(days=end_back)
        closed = selectors.draw_population(
            selectors.departments_in_scope(supervisor).values_list("id", flat=True),
            start,
            end,
            "none",
        )
        if len(closed) < 2:
            continue
        draw = services.create_draw(
            by=supervisor,
            title=title,
            period_start=start,
            period_end=end,
            size=min(size, len(closed)),
            strata="department",
            method=method,
            seed=seed,
        )
        completed = title == COMPLETED_TITLE
        _inspect(draw, problem_at=2, pending_from=draw.size + 1 if completed else 3, today=today)
        if completed:
            rectification = Inspection.objects.get(draw=draw, position=2).rectification
            admin = Person.objects.filter(
                user__role_assignments__role="department_admin",
                user__role_assignments__department=rectification.department,
            ).first()
            if admin is not None:
                services.record_rectification(
                    by=admin.user,
                    rectification=rectification,
                    measures="已补正决定书，载明行政复议和行政诉讼的途径与期限，并重新送达申请人",
                    on=today,
                )
        done.append(title)
    return done


def _hotline(today: datetime.date) -> int:
    if HotlineFeedback.objects.filter(source="demo").exists():
        return 0
    rng = random.Random(12345)
    cases = list(
        Case.objects.filter(received_at__date__lt=today)
        .select_related("received_by__person")
        .order_by("number")
    )
    if not cases:
        return 0
    picked = rng.sample(cases, min(30, len(cases)))
    rows = []
    for n, case in enumerate(sorted(picked, key=lambda c: c.received_at), start=1):
        kind = KINDS[n % len(KINDS)]
        received = min(timezone.localdate(case.received_at) + datetime.timedelta(days=1), today)
        closed = (today - received).days > 5
        staff = getattr(case.received_by, "person", None) if kind != "suggestion" else None
        rows.append(
            services.HotlineRow(
                ticket_number=f"12345-{received:%Y%m%d}-{n:04d}",
                received_on=received,
                kind=kind,
                content=rng.choice(HOTLINE_TEXTS[kind]) + f"（办件{case.number}）",
                caller_phone=f"138{rng.randrange(10**8):08d}",
                case=case.number,
                staff=staff.pk if staff else None,
                status="closed" if closed else "processing",
                resolution="已联系来电人核实情况并答复，来电人表示满意" if closed else "",
                replied_on=min(received + datetime.timedelta(days=3), today) if closed else None,
            )
        )
    result = services.save_hotline(
        by=_user("ducha"), rows=rows, source="demo", label="演示数据：12345工单"
    )
    return result.created


def _interference(today: datetime.date) -> str:
    if InterferenceReport.objects.exists():
        return "exists"
    grant = (
        Grant.objects.filter(in_force_q(today), grantee__user__isnull=False)
        .select_related("grantee__user")
        .order_by("department__code", "id")
        .first()
    )
    if grant is None:
        return "skipped (no chief officer in office)"
    case = Case.objects.filter(department=grant.department).order_by("number").first()
    report = services.report_interference(
        by=grant.grantee.user,
        interferer_name="王某某",
        interferer_unit="某区招商服务中心",
        interferer_post="副主任",
        occurred_on=today - datetime.timedelta(days=12),
        manner="phone",
        content="来电要求对其引进企业的申请“先批后补”，在材料不全的情况下直接作出准予许可决定。"
        "本人已告知须依法补齐材料后办理，未予同意。",
        case=case,
    )
    return report.receipt_number


def _fault_tolerance(today: datetime.date) -> str:
    if FaultToleranceRecord.objects.exists():
        return "exists"
    person = Person.objects.filter(user__username="zr_shouxi").select_related("department").first()
    discipline = _user("jijian")
    if person is None or discipline is None:
        return "skipped (demo people missing)"
    record = services.record_fault_tolerance(
        by=discipline,
        person=person,
        event="试行“容缺受理”时，对一件不动产登记申请在次要材料缺失的情况下先行受理，"
        "申请人未按承诺时间补齐，导致办件超期3个工作日。",
        innovation_context="按市政务服务改革方案先行先试容缺受理机制，经部门集体研究同意。",
        error="未对申请人补交承诺的履行进行跟踪提醒，造成办件超期。",
        decision="exempt",
        basis="符合改革创新容错情形：出于公心、程序合规、未谋取私利、及时纠正且未造成重大损失。",
        correction="建立容缺受理补交材料提醒台账，到期前2个工作日短信提醒申请人。",
        decided_on=today - datetime.timedelta(days=7),
    )
    return f"record {record.pk}"


def load() -> str:
    if _user("ducha") is None:
        return "skipped: the org demo (supervisor ducha) is not loaded"
    if not Case.objects.filter(
        status__in=[CaseState.COMPLETED, CaseState.REFUSED, CaseState.WITHDRAWN]
    ).exists():
        return "skipped: the cases demo is not loaded"
    today = timezone.localdate()
    pool = _pool(today)
    draws = _draws(today)
    hotline = _hotline(today)
    interference = _interference(today)
    fault = _fault_tolerance(today)
    return (
        f"{pool} inspectors added ({InspectorPoolMember.objects.count()} in the pool); "
        f"draws added: {', '.join(draws) or 'none'} ({InspectionDraw.objects.count()} in all); "
        f"{hotline} hotline tickets added ({HotlineFeedback.objects.count()} in all); "
        f"interference report: {interference}; fault tolerance: {fault}"
    )
