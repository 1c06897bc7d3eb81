"""Service items (GB/T 39554), their guides and versions.

`ServiceItem` is the CURRENT state of an item: one row per item with a stable primary key
(grants and cases link to it). Every change also writes an `ItemVersion` snapshot (C-4.2), so
history and the guide in force on a given day come from the snapshots, never from the row.
"""

from django.conf import settings
from django.db import models


class ItemType(models.TextChoices):
    LICENSE = "license", "行政许可"
    PUBLIC_SERVICE = "public_service", "公共服务"
    RULING = "ruling", "行政裁决"
    PAYMENT = "payment", "行政给付"
    REWARD = "reward", "行政奖励"
    CONFIRMATION = "confirmation", "行政确认"
    OTHER_POWER = "other_power", "其他行政权力"


class ExclusionReason(models.TextChoices):
    """The only three grounds for leaving an item out of the list (C-4.1)."""

    CLASSIFIED = "classified", "涉密"
    PUBLIC_SAFETY = "public_safety", "重大公共安全"
    LIFE_PROPERTY = "life_property", "公民生命财产安全"


class GreenChannelMode(models.TextChoices):
    DIRECT = "direct", "直接办理"
    ON_APPLICATION = "on_application", "依申请办理"


class NodeKind(models.TextChoices):
    """Level in the national hierarchy 主项 → 子项 → 业务办理项."""

    MAIN = "main", "主项"
    SUB = "sub", "子项"
    HANDLING = "handling", "业务办理项"


class HandlingKind(models.TextChoices):
    NEW = "new", "新设"
    CHANGE = "change", "变更"
    RENEW = "renew", "延续"
    CANCEL = "cancel", "注销"


class ExerciseLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡级"
    VILLAGE = "village", "村（社区）级"


class ApplyMode(models.TextChoices):
    WINDOW = "window", "窗口办理"
    ONLINE = "online", "网上办理"
    BOTH = "both", "窗口和网上均可"


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人"
    BOTH = "both", "自然人、法人"


class ServiceItem(models.Model):
    # The six province-wide elements: name, code, item_type, competent_authority,
    # department (实施机关) and legal_basis.
    code = models.CharField("事项编码", max_length=64, unique=True)
    name = models.CharField("事项名称", max_length=200)
    handling_name = models.CharField("办理项名称", max_length=200, blank=True)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name="实施部门",
    )
    competent_authority = models.CharField("主管部门", max_length=100, blank=True)
    item_type = models.CharField("事项类型", max_length=20, choices=ItemType.choices)
    legal_basis = models.TextField("设定和实施依据", blank=True)
    exercise_level = models.CharField(
        "行使层级", max_length=12, choices=ExerciseLevel.choices, default=ExerciseLevel.CITY
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级事项",
    )
    node_kind = models.CharField(
        "事项层级", max_length=10, choices=NodeKind.choices, default=NodeKind.HANDLING
    )
    handling_kind = models.CharField(
        "业务办理项类别", max_length=10, choices=HandlingKind.choices, blank=True
    )
    on_application = models.BooleanField("依申请事项", default=True)
    legal_limit_days = models.PositiveIntegerField("法定时限（工作日）", default=20)
    promised_limit_days = models.PositiveIntegerField("承诺时限（工作日）", default=0)
    immediate = models.BooleanField("即办件", default=False)
    high_frequency = models.BooleanField("高频事项", default=False)
    chief_list_included = models.BooleanField("纳入首席服务员清单", null=True, blank=True)
    exclusion_reason = models.CharField(
        "未纳入原因", max_length=20, choices=ExclusionReason.choices, blank=True
    )
    exclusion_note = models.TextField("未纳入说明", blank=True)
    green_channel = models.BooleanField("人才绿色通道事项", default=False)
    green_channel_mode = models.CharField(
        "绿色通道方式", max_length=20, choices=GreenChannelMode.choices, blank=True
    )
    active = models.BooleanField("在用", default=True)
    version_number = models.PositiveIntegerField("当前版本", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "政务服务事项"
        ordering = ["department", "code"]
        indexes = [
            models.Index(fields=["department", "chief_list_included"], name="item_dept_list"),
            models.Index(fields=["item_type"], name="item_type_idx"),
        ]

    def __str__(self):
        if self.handling_name:
            return f"{self.name}（{self.handling_name}）"
        return self.name


class ServiceGuide(models.Model):
    """办事指南 of one item: the fields of the national guide standard."""

    item = models.OneToOneField(
        ServiceItem, on_delete=models.CASCADE, related_name="guide", verbose_name="事项"
    )
    applicant_kind = models.CharField(
        "服务对象", max_length=15, choices=ApplicantKind.choices, default=ApplicantKind.BOTH
    )
    conditions = models.TextField("受理条件", blank=True)
    fee = models.CharField("收费标准", max_length=500, default="不收费")
    apply_mode = models.CharField(
        "办理方式", max_length=10, choices=ApplyMode.choices, default=ApplyMode.BOTH
    )
    place_and_hours = models.TextField("办理地点和时间", blank=True)
    online_url = models.CharField("网上办理地址", max_length=300, blank=True)
    result = models.CharField("办理结果", max_length=200, blank=True)
    delivery = models.CharField("送达方式", max_length=200, blank=True)
    consult_channel = models.CharField("咨询方式", max_length=200, blank=True)
    complaint_channel = models.CharField("投诉方式", max_length=200, blank=True)
    faq = models.TextField("常见问题", blank=True)
    visits_required = models.PositiveIntegerField("到现场次数", default=1)
    # The legal baseline (before streamlining) that the four reductions are measured
    # against (R-15); working days' baseline is the item's legal_limit_days.
    baseline_steps = models.PositiveIntegerField("法定环节数", default=0)
    baseline_materials = models.PositiveIntegerField("法定材料数", default=0)
    baseline_visits = models.PositiveIntegerField("法定到现场次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "办事指南"

    def __str__(self):
        return f"{self.item} 办事指南"


class Material(models.Model):
    guide = models.ForeignKey(
        ServiceGuide, on_delete=models.CASCADE, related_name="materials", verbose_name="办事指南"
    )
    position = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("材料名称", max_length=200)
    required = models.BooleanField("必要", default=True)
    original = models.BooleanField("原件", default=True)
    copies = models.PositiveIntegerField("份数", default=1)
    electronic_ok = models.BooleanField("接受电子材料", default=True)
    source = models.CharField("来源渠道", max_length=100, blank=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    exempt_by_sharing = models.BooleanField("可通过数据共享免提交", default=False)
    note = models.CharField("备注", max_length=300, blank=True)
    sample_text = models.FileField(
        "示范文本", upload_to="catalog/samples/%Y/", max_length=255, blank=True
    )

    class Meta:
        verbose_name = verbose_name_plural = "申请材料"
        ordering = ["guide", "position", "id"]

    def __str__(self):
        return self.name


class HandlingStep(models.Model):
    """环节 with the post responsible for it (R-15)."""

    guide = models.ForeignKey(
        ServiceGuide, on_delete=models.CASCADE, related_name="steps", verbose_name="办事指南"
    )
    position = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("环节名称", max_length=100)
    post = models.CharField("责任岗位", max_length=100)
    days = models.PositiveIntegerField("环节时限（工作日）", default=0)
    description = models.CharField("办理标准", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理环节"
        ordering = ["guide", "position", "id"]

    def __str__(self):
        return self.name


class SpecialStep(models.Model):
    """特别程序 (hearing, inspection, testing …): counted in the time limit or not."""

    guide = models.ForeignKey(
        ServiceGuide,
        on_delete=models.CASCADE,
        related_name="special_steps",
        verbose_name="办事指南",
    )
    position = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("特别程序名称", max_length=100)
    days = models.PositiveIntegerField("时限（工作日）", default=0)
    basis = models.CharField("依据", max_length=300, blank=True)
    counted_in_limit = models.BooleanField("计入办理时限", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "特别程序"
        ordering = ["guide", "position", "id"]

    def __str__(self):
        return self.name


class Scenario(models.Model):
    """办理情形 of an item (optional)."""

    guide = models.ForeignKey(
        ServiceGuide, on_delete=models.CASCADE, related_name="scenarios", verbose_name="办事指南"
    )
    position = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("情形名称", max_length=200)
    description = models.TextField("情形说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理情形"
        ordering = ["guide", "position", "id"]

    def __str__(self):
        return self.name


class ItemVersion(models.Model):
    """A snapshot of an item and its guide after one change (C-4.2)."""

    item = models.ForeignKey(
        ServiceItem, on_delete=models.CASCADE, related_name="versions", verbose_name="事项"
    )
    number = models.PositiveIntegerField("版本号")
    data = models.JSONField("内容")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="修改人",
    )
    changed_at = models.DateTimeField("修改时间")
    effective_from = models.DateField("生效日期")
    reason = models.TextField("修改原因")

    class Meta:
        verbose_name = verbose_name_plural = "事项版本"
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_unique"),
        ]

    def __str__(self):
        return f"{self.item_id} v{self.number}"


class VaguePhrase(models.Model):
    """An open phrase refused in material lists and conditions (R-14); editable by center_admin."""

    phrase = models.CharField("模糊表述", max_length=50, unique=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "模糊表述"
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase
