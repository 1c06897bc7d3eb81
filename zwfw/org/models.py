from django.conf import settings
from django.db import models

from zwfw.core.fields import EncryptedTextField
from zwfw.core.masking import mask_id_number, mask_phone
from zwfw.core.permissions import Role


class TreeMixin(models.Model):
    """A materialised path ("/1/4/9/") so scope checks need no recursive queries."""

    path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        abstract = True

    def path_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def descendant_ids(self) -> list[int]:
        return list(
            type(self).objects.filter(path__startswith=self.path).values_list("id", flat=True)
        )

    def refresh_path(self) -> None:
        parent_path = self.parent.path if self.parent_id else "/"
        self.path = f"{parent_path}{self.pk}/"
        type(self).objects.filter(pk=self.pk).update(path=self.path)


class Region(TreeMixin):
    class Level(models.TextChoices):
        CITY = "city", "市"
        COUNTY = "county", "区县"
        TOWNSHIP = "township", "乡镇街道"
        PARK = "park", "园区"

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级区域",
    )

    class Meta:
        verbose_name = verbose_name_plural = "区域"
        ordering = ["path"]

    def __str__(self):
        return self.name


class ServiceCenter(TreeMixin):
    """A hall where departments have windows (R-25: city, county and township centers)."""

    class Level(models.TextChoices):
        CITY = "city", "市级政务服务中心"
        COUNTY = "county", "县级政务服务中心"
        TOWNSHIP = "township", "乡镇（街道）便民服务中心"

    code = models.CharField("中心代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="centers", verbose_name="所属区域"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级中心",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=30, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "政务服务中心"
        ordering = ["path"]

    def __str__(self):
        return self.name


class Department(models.Model):
    code = models.CharField("部门代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name="所属区域",
    )
    center = models.ForeignKey(
        ServiceCenter,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name="进驻中心",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级部门",
    )
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "部门"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def center_path_ids(self) -> list[int]:
        return self.center.path_ids() if self.center_id else []


class Section(models.Model):
    """股室 of a department; `is_service_section` marks the government service section (R-10)."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="sections", verbose_name="部门"
    )
    name = models.CharField("股室名称", max_length=100)
    is_service_section = models.BooleanField("政务服务科", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "股室"
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="section_unique_name")
        ]

    def __str__(self):
        return f"{self.department.name}{self.name}"


class Window(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", "部门窗口"
        COMPREHENSIVE = "comprehensive", "无差别综合窗口"
        TALENT = "talent", "人才服务窗口"

    center = models.ForeignKey(
        ServiceCenter, on_delete=models.PROTECT, related_name="windows", verbose_name="中心"
    )
    number = models.CharField("窗口号", max_length=20)
    name = models.CharField("窗口名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="windows",
        verbose_name="部门",
    )
    # The stationed departments this window serves (API `departments`): a department window
    # serves its one department (also `department`); a comprehensive window lists the ones
    # it takes in for, whose intake authority still needs the center's approval.
    departments = models.ManyToManyField(
        Department, blank=True, related_name="served_by_windows", verbose_name="服务部门"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级窗口",
    )
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "窗口"
        ordering = ["center", "number"]
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="window_unique_number")
        ]

    def __str__(self):
        return f"{self.number}号 {self.name}"


class Person(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=6, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    phone = EncryptedTextField("联系电话")
    phone_index = models.CharField(max_length=64, db_index=True, editable=False)
    id_number = EncryptedTextField("身份证号", blank=True)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="people", verbose_name="工作单位"
    )
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name="股室",
    )
    position = models.CharField("职务", max_length=100, blank=True)
    established = models.BooleanField("在编在岗", default=True)
    unit_start_date = models.DateField("进入本单位日期")
    service_start_date = models.DateField("从事政务服务（审批）工作日期", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name="账号",
    )
    active = models.BooleanField("在职", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~models.Q(id_number_index=""),
                name="person_unique_id_number",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def age_on(self, day) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class RoleAssignment(models.Model):
    """A role held by an account, scoped to a center or a department (or unscoped)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name="账号",
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    center = models.ForeignKey(
        ServiceCenter,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="范围（中心）",
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="范围（部门）",
    )

    class Meta:
        verbose_name = verbose_name_plural = "角色授权"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "center", "department"], name="role_assignment_unique"
            ),
        ]

    def __str__(self):
        scope = self.department or self.center or "全部"
        return f"{self.get_role_display()}（{scope}）"


class PostAssignment(models.Model):
    """办理岗位 (Post, R-15, N-13): a person holds a handling post (承办, 审核, 审批 …) in a
    department, like a role with a scope. Normal-procedure steps are recorded by the holder of
    the step's post, and the last step's assignment is the authority a decision relies on."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="posts", verbose_name="人员"
    )
    post = models.CharField("办理岗位", max_length=100)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name="范围（部门）"
    )
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("终止日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理岗位"
        ordering = ["department", "post", "valid_from", "id"]
        indexes = [
            models.Index(fields=["person", "department", "post"], name="post_person_dept"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="post_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.post}（{self.department}）"
