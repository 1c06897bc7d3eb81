"""Demo grants for 青岚市: every city department has a chief service officer, QLGA also a
chief representative; one grant expires within 30 days, one was revoked and replaced without a
gap; a proposal waits for the leading group; the decision committee has met once.

Everything goes through services, so the audit chain shows the whole story. `load()` is
idempotent: each step looks for its row first. Dates are relative to the day it runs.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from zwfw.catalog.selectors import chief_list_items
from zwfw.grants import services
from zwfw.grants.eligibility import GrantRole, Power
from zwfw.grants.models import (
    AgendaItem,
    CommitteeMeeting,
    CommitteeMember,
    DecisionCommittee,
    Grant,
    GrantProposal,
    SectionHeadFiling,
)
from zwfw.grants.terms import add_years
from zwfw.org.models import Department, Person, ServiceCenter

DEPARTMENTS = ["QLGA", "QLJT", "QLZR", "QLSJ", "QLRS", "QLZJ"]
PREFIX = {"QLGA": "ga", "QLJT": "jt", "QLZR": "zr", "QLSJ": "sj", "QLRS": "rs", "QLZJ": "zj"}
ALL_POWERS = list(Power.values)
CSO = GrantRole.CHIEF_SERVICE_OFFICER
DAY = datetime.timedelta(days=1)


def _person(username: str) -> Person:
    return Person.objects.select_related("user", "department", "section").get(
        user__username=username
    )


def _term(start: datetime.date, years: int = 2) -> tuple[datetime.date, datetime.date]:
    return start, add_years(start, years) - DAY


def _split(items: list) -> tuple[list, list]:
    """About two thirds decided finally, the rest reviewed first (at least one final)."""
    cut = max(1, (len(items) * 2 + 2) // 3)
    return items[:cut], items[cut:]


class _Demo:
    def __init__(self, today: datetime.date):
        self.today = today
        self.center = ServiceCenter.objects.get(code="QL")
        self.admin = _person("zhongxin").user
        self.lg_user = _person("lingdao1").user
        self.lg = [_person("lingdao1"), _person("lingdao2")]
        self.added: list[str] = []
        self.skipped: list[str] = []

    def items(self, department: Department) -> tuple[list, list]:
        items = list(chief_list_items(department)[:8])
        return _split(items) if items else ([], [])

    def file_head(self, code: str) -> None:
        department = Department.objects.get(code=code)
        if SectionHeadFiling.objects.filter(department=department).exists():
            return
        head = _person(f"{PREFIX[code]}_admin")
        services.file_section_head(
            by=_person(f"{PREFIX[code]}_admin").user,
            department=department,
            person=head,
            filed_on=self.today - datetime.timedelta(days=730),
            document_number=f"青组备〔{self.today.year - 2}〕{len(code)}号",
        )
        self.added.append(f"{code} 政务服务科科长备案")

    def exists(self, code: str, username: str, role: str = CSO) -> bool:
        return Grant.objects.filter(
            department__code=code, grantee__user__username=username, role=role
        ).exists()

    def proposal_path(
        self, code: str, username: str, start: datetime.date, **extra
    ) -> Grant | None:
        """The department proposes, the leading group approves ten days later."""
        department = Department.objects.get(code=code)
        final, preliminary = self.items(department)
        if not final:
            self.skipped.append(code)
            return None
        valid_from, valid_to = _term(start)
        proposal = services.propose_grant(
            by=_person(f"{PREFIX[code]}_admin").user,
            department=department,
            role=CSO,
            grantee=_person(username),
            final_items=final,
            preliminary_items=preliminary,
            powers=ALL_POWERS,
            valid_from=valid_from,
            valid_to=valid_to,
            justification="熟悉本部门审批业务，具有多年行政审批工作经验，群众评价好。",
            on=start - datetime.timedelta(days=10),
            **extra,
        )
        decision = services.decide_proposal(
            by=self.lg_user,
            proposal=proposal,
            result="approve",
            members_present=self.lg,
            note="经领导小组研究，同意授权。",
            on=start,
        )
        self.added.append(f"{code} {decision.grant.grantee.name}（经提名、领导小组研究）")
        return decision.grant

    def direct(
        self,
        code: str,
        username: str,
        start: datetime.date,
        role: str = CSO,
        years: int = 2,
        valid_to: datetime.date | None = None,
    ) -> Grant | None:
        """The center records a grant the leading group decided at a meeting."""
        department = Department.objects.get(code=code)
        final, preliminary = self.items(department)
        if not final:
            self.skipped.append(code)
            return None
        valid_from, end = _term(start, years)
        grant = services.grant_authority(
            by=self.admin,
            role=role,
            grantee=_person(username),
            department=department,
            final_items=final,
            preliminary_items=preliminary,
            powers=ALL_POWERS,
            valid_from=valid_from,
            valid_to=valid_to or end,
            justification="部门集中研究推荐，报领导小组研究决定。",
            decided_on=start,
            decision_note="领导小组会议研究同意",
            members_present=self.lg,
        )
        self.added.append(f"{code} {grant.grantee.name}（{grant.get_role_display()}）")
        return grant

    def grants(self) -> None:
        t = self.today
        if not self.exists("QLGA", "ga_shouxi"):
            self.proposal_path("QLGA", "ga_shouxi", t - datetime.timedelta(days=290))
        if not self.exists("QLGA", "ga_admin", GrantRole.CHIEF_REPRESENTATIVE):
            self.direct(
                "QLGA",
                "ga_admin",
                t - datetime.timedelta(days=200),
                role=GrantRole.CHIEF_REPRESENTATIVE,
                years=3,
            )
        if not self.exists("QLJT", "jt_shouxi"):
            self.proposal_path("QLJT", "jt_shouxi", t - datetime.timedelta(days=100))
        if not self.exists("QLZR", "zr_shouxi"):
            # Ends within 30 days: shows as expiring on the home pages (N-12).
            end = t + datetime.timedelta(days=20)
            self.direct("QLZR", "zr_shouxi", add_years(end + DAY, -2), valid_to=end)
        if not self.exists("QLSJ", "sj_chuangkou"):
            self.revoked_and_replaced(t)
        if not self.exists("QLRS", "rs_shouxi"):
            self.direct("QLRS", "rs_shouxi", t - datetime.timedelta(days=400))
        if not self.exists("QLZJ", "zj_shouxi"):
            self.proposal_path("QLZJ", "zj_shouxi", t - datetime.timedelta(days=45))

    def revoked_and_replaced(self, t: datetime.date) -> None:
        """QLSJ: the first officer was revoked; the successor started that very day."""
        first = self.direct("QLSJ", "sj_chuangkou", t - datetime.timedelta(days=500))
        if first is None:
            return
        revoked_on = t - datetime.timedelta(days=60)
        services.revoke_grant(
            by=self.lg_user,
            grant=first,
            on=revoked_on,
            reason="本人工作调动，调离行政审批岗位，经单位报领导小组研究同意取消授权。",
            members_present=self.lg,
        )
        self.added.append(f"QLSJ {first.grantee.name} 授权撤销")
        if not self.exists("QLSJ", "sj_shouxi"):
            self.direct("QLSJ", "sj_shouxi", revoked_on)

    def pending_proposal(self) -> None:
        """QLZJ proposes its section head as chief representative; awaits the leading group."""
        department = Department.objects.get(code="QLZJ")
        if GrantProposal.objects.filter(
            department=department, role=GrantRole.CHIEF_REPRESENTATIVE
        ).exists():
            return
        final, preliminary = self.items(department)
        if not final:
            return
        valid_from, valid_to = _term(self.today + datetime.timedelta(days=7), 3)
        services.propose_grant(
            by=_person("zj_admin").user,
            department=department,
            role=GrantRole.CHIEF_REPRESENTATIVE,
            grantee=_person("zj_admin"),
            final_items=final,
            preliminary_items=preliminary,
            powers=ALL_POWERS,
            valid_from=valid_from,
            valid_to=valid_to,
            justification="政务服务科科长，经组织人事部门备案，拟任首席代表。",
            on=self.today,
        )
        self.added.append("QLZJ 首席代表人选建议（待研究）")

    def committee(self) -> None:
        committee = DecisionCommittee.objects.filter(center=self.center).first()
        if committee is None:
            committee = services.create_committee(
                by=self.admin,
                center=self.center,
                name="青岚市审批决策委员会",
                office_name="审批决策委员会办公室",
                office_location="市政务服务中心行政审批科",
                office_head=_person("xietiao"),
            )
            self.added.append("审批决策委员会")
        positions = [
            ("weiyuan1", CommitteeMember.Position.DIRECTOR),
            ("weiyuan2", CommitteeMember.Position.EXECUTIVE_DEPUTY),
            ("weiyuan3", CommitteeMember.Position.MEMBER),
        ]
        members = {}
        for username, position in positions:
            person = _person(username)
            member = committee.members.filter(person=person, active=True).first()
            if member is None:
                member = services.add_committee_member(
                    by=self.admin,
                    committee=committee,
                    person=person,
                    position=position,
                    joined_on=self.today - datetime.timedelta(days=365),
                )
            members[username] = member
        title = "审批决策委员会第1次会议"
        if CommitteeMeeting.objects.filter(committee=committee, title=title).exists():
            return
        meeting = services.schedule_meeting(
            by=self.admin,
            committee=committee,
            title=title,
            held_on=self.today - datetime.timedelta(days=30),
            location="中心三楼会议室",
        )
        services.record_attendance(
            by=self.admin, meeting=meeting, present=[members["weiyuan1"], members["weiyuan2"]]
        )
        agenda = [
            (
                "青岚新城商住项目建设工程规划许可疑难问题",
                "QL-ZR-2026-0001",
                {"weiyuan1": "for", "weiyuan2": "for"},
                "同意首席服务员意见，按程序办理。",
            ),
            (
                "某危险化学品经营许可申请事项",
                "QL-SJ-2026-0007",
                {"weiyuan1": "against", "weiyuan2": "for"},
                "未形成多数意见，退回按一般程序办理。",
            ),
        ]
        for subject, reference, votes, text in agenda:
            item = services.add_agenda_item(
                by=self.admin, meeting=meeting, title=subject, reference=reference
            )
            services.decide_agenda_item(
                by=self.admin,
                item=item,
                votes={members[u].pk: v for u, v in votes.items()},
                decision_text=text,
            )
        self.added.append("委员会会议 1 次（议题 2 项）")


def load() -> str:
    if not get_user_model().objects.filter(username="lingdao1").exists():
        return "skipped: the org demo (leading group, departments) is not loaded"
    demo = _Demo(timezone.localdate())
    for code in DEPARTMENTS:
        demo.file_head(code)
    demo.grants()
    demo.pending_proposal()
    demo.committee()
    services.refresh_grant_statuses(on=demo.today)
    parts = [f"{len(demo.added)} added" + (f": {'; '.join(demo.added)}" if demo.added else "")]
    if demo.skipped:
        parts.append(
            "no chief-list items yet in the catalog for "
            + ", ".join(sorted(set(demo.skipped)))
            + " (load the catalog demo first)"
        )
    parts.append(
        f"{Grant.objects.count()} grants, "
        f"{AgendaItem.objects.count()} committee agenda items in all"
    )
    return "; ".join(parts)
