"""Home-page panels of the resident-staff app (registered in StaffConfig.ready)."""

from django.urls import reverse
from django.utils import timezone

from zwfw.core.home import Panel
from zwfw.core.permissions import Role, has_role_anywhere
from zwfw.staff import selectors


def ending_panel(user) -> Panel | None:
    """R-11: postings whose three-year term ends within 60 days (a change letter is due)."""
    if not has_role_anywhere(user, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN):
        return None
    today = timezone.localdate()
    rows = [
        {
            "text": f"{a.department.short_name or a.department.name} {a.person.name}进驻期将于"
            f"{a.term_end:%Y-%m-%d}届满",
            "url": reverse("staff:residents"),
            "level": "red" if (a.term_end - today).days <= 15 else "yellow",
            "meta": f"剩余{(a.term_end - today).days}天",
        }
        for a in selectors.ending_soon(user, on=today)[:10]
    ]
    return Panel(
        title="进驻期即将届满的人员",
        rows=rows,
        empty="60天内没有进驻期届满的人员",
        link=reverse("staff:residents"),
        order=40,
    )


def pending_panel(user) -> Panel | None:
    """The center's pending admissions, change letters and leave requests."""
    if not has_role_anywhere(user, Role.CENTER_ADMIN):
        return None
    rows = []
    n = selectors.admissions(user, "applied").count()
    if n:
        rows.append(
            {
                "text": f"{n}份进驻申请待审核（R-8）",
                "url": reverse("staff:admissions") + "?status=applied",
            }
        )
    n = selectors.change_letters(user, "pending").count()
    if n:
        rows.append(
            {
                "text": f"{n}份调整函待函复（R-11）",
                "url": reverse("staff:changes"),
                "level": "yellow",
            }
        )
    n = selectors.leave_requests(user, "pending").count()
    if n:
        rows.append({"text": f"{n}份请假待审批（R-19）", "url": reverse("staff:leave")})
    return Panel(title="进驻人员待办", rows=rows, empty="没有待办的进驻人员事项", order=41)


def resident_panel(user) -> Panel | None:
    """A resident's own leave requests, and where to report unrelated tasks (R-19)."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None or selectors.open_assignment(person) is None:
        return None
    rows = [
        {
            "text": f"{leave.get_kind_display()} {leave.start:%m-%d}至{leave.end:%m-%d}（{leave.workdays}个工作日）：{leave.get_status_display()}",
            "url": reverse("staff:leave"),
        }
        for leave in selectors.own_leave(person)[:5]
    ]
    rows.append({"text": "请假（由中心审批）", "url": reverse("staff:leave")})
    rows.append({"text": "我的考勤（R-21）", "url": reverse("staff:attendance")})
    rows.append({"text": "反映进驻单位安排的无关任务", "url": reverse("staff:complaints")})
    return Panel(title="我的进驻", rows=rows, order=42)
