from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zwfw.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self):
        from zwfw.core import lookups, selectors  # noqa: F401  (registers in_constants, the audit export)
