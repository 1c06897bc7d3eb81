"""The center's per-item setting of the ways of applying (seed 002 第十八条, R-18).

无正当理由不得限定申请方式: every way is open unless the center closes one, and closing one
needs a recorded reason, who and when (each change also goes to the audit chain). An item
without a row accepts every way.
"""

from django.conf import settings
from django.db import models

# The ways of applying, as cases.Channel names them (the catalog does not import cases).
CHANNELS = (
    ("window", "窗口"),
    ("online", "网上"),
    ("mobile", "移动端"),
    ("self_service", "自助终端"),
)
CHANNEL_LABELS = dict(CHANNELS)


class ItemChannelSetting(models.Model):
    item = models.OneToOneField(
        "catalog.ServiceItem",
        on_delete=models.CASCADE,
        related_name="channel_setting",
        verbose_name="事项",
    )
    window = models.BooleanField("受理窗口申请", default=True)
    online = models.BooleanField("受理网上申请", default=True)
    mobile = models.BooleanField("受理移动端申请", default=True)
    self_service = models.BooleanField("受理自助终端申请", default=True)
    reason = models.TextField("限定申请方式的理由", blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="设定人",
    )
    set_at = models.DateTimeField("设定时间")

    class Meta:
        verbose_name = verbose_name_plural = "事项申请方式设置"
        constraints = [
            # The database refuses a restriction without a reason too.
            models.CheckConstraint(
                condition=(
                    models.Q(window=True, online=True, mobile=True, self_service=True)
                    | ~models.Q(reason="")
                ),
                name="item_channel_restriction_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.item_id} 申请方式"

    def accepted(self) -> dict[str, bool]:
        return {key: getattr(self, key) for key, _label in CHANNELS}

    @property
    def restricted(self) -> bool:
        return not all(self.accepted().values())
