"""The decision committee (审批决策委员会, N-14): members, meetings, attendance, agenda, votes.

Agenda items are generic (a title and an optional reference string) so that the case app can
refer cases to the committee later without a schema change here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwfw.grants.quorum import VoteChoice


class DecisionCommittee(models.Model):
    name = models.CharField("名称", max_length=100, default="审批决策委员会")
    center = models.ForeignKey(
        "org.ServiceCenter",
        on_delete=models.PROTECT,
        related_name="decision_committees",
        verbose_name="所属中心",
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_committees",
        verbose_name="所属部门",
        help_text="部门（局）设立的委员会填写",
    )
    office_name = models.CharField("办事机构", max_length=100, default="委员会办公室")
    office_head = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="办公室主任",
    )
    office_location = models.CharField("办公室设在", max_length=100, blank=True)
    # Blank means the site-wide setting (grants.quorum): e.g. "2/3", "1/2".
    quorum = models.CharField(
        "法定出席比例", max_length=10, blank=True, help_text="如 2/3；留空则使用系统设置（默认2/3）"
    )
    majority = models.CharField(
        "通过比例（超过出席人数的）",
        max_length=10,
        blank=True,
        help_text="如 1/2；留空则使用系统设置（默认过半数）",
    )
    active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "审批决策委员会"
        ordering = ["center", "name"]

    def __str__(self):
        return self.name


class CommitteeMember(models.Model):
    class Position(models.TextChoices):
        DIRECTOR = "director", _("主任")
        EXECUTIVE_DEPUTY = "executive_deputy", _("常务副主任")
        DEPUTY_DIRECTOR = "deputy_director", _("副主任")
        MEMBER = "member", _("委员")

    committee = models.ForeignKey(
        DecisionCommittee, on_delete=models.CASCADE, related_name="members", verbose_name="委员会"
    )
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="committee_memberships",
        verbose_name="人员",
    )
    position = models.CharField("职务", max_length=20, choices=Position.choices)
    joined_on = models.DateField("任职日期")
    left_on = models.DateField("离任日期", null=True, blank=True)
    active = models.BooleanField("在任", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "委员会成员"
        ordering = ["committee", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "person"],
                condition=models.Q(active=True),
                name="committee_member_unique_active",
            ),
            # One director and one executive deputy at a time (seed 004 art. 14).
            models.UniqueConstraint(
                fields=["committee", "position"],
                condition=models.Q(active=True, position__in=["director", "executive_deputy"]),
                name="committee_single_director",
            ),
        ]

    def __str__(self):
        return f"{self.get_position_display()} {self.person}"


class CommitteeMeeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("待召开")
        HELD = "held", _("已召开")

    committee = models.ForeignKey(
        DecisionCommittee, on_delete=models.PROTECT, related_name="meetings", verbose_name="委员会"
    )
    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期")
    location = models.CharField("地点", max_length=100, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    # Snapshot when attendance is recorded: later membership changes do not rewrite history.
    members_total = models.PositiveSmallIntegerField("应到人数", default=0)
    members_present = models.PositiveSmallIntegerField("实到人数", default=0)
    quorum_met = models.BooleanField("达到法定人数", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="记录人",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "委员会会议"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(
        CommitteeMeeting, on_delete=models.CASCADE, related_name="attendance", verbose_name="会议"
    )
    member = models.ForeignKey(
        CommitteeMember, on_delete=models.PROTECT, related_name="+", verbose_name="成员"
    )
    present = models.BooleanField("出席", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "出席情况"
        ordering = ["meeting", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member")
        ]

    def __str__(self):
        return f"{self.member}：{'出席' if self.present else '缺席'}"


class AgendaItem(models.Model):
    class Result(models.TextChoices):
        PENDING = "pending", _("待研究")
        APPROVED = "approved", _("通过")
        REJECTED = "rejected", _("未通过")

    meeting = models.ForeignKey(
        CommitteeMeeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name="会议"
    )
    title = models.CharField("议题", max_length=300)
    # Free text the referring app fills (e.g. a case number), so any app can attach matters.
    reference = models.CharField("关联编号", max_length=100, blank=True, db_index=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, default=Result.PENDING)
    decision_text = models.TextField("决定意见", blank=True)
    votes_for = models.PositiveSmallIntegerField("同意票", default=0)
    votes_against = models.PositiveSmallIntegerField("反对票", default=0)
    votes_abstain = models.PositiveSmallIntegerField("弃权票", default=0)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "会议议题"
        ordering = ["meeting", "id"]

    def __str__(self):
        return self.title


class Vote(models.Model):
    """A named vote (记名投票) of one present member on one agenda item."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="votes", verbose_name="议题"
    )
    member = models.ForeignKey(
        CommitteeMember, on_delete=models.PROTECT, related_name="votes", verbose_name="成员"
    )
    choice = models.CharField("表决", max_length=10, choices=VoteChoice.choices)

    class Meta:
        verbose_name = verbose_name_plural = "表决"
        ordering = ["agenda_item", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "member"], name="vote_unique_member")
        ]

    def __str__(self):
        return f"{self.member}：{self.get_choice_display()}"
