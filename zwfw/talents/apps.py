from django.apps import AppConfig


class TalentsConfig(AppConfig):
    """High-level talent service windows and commissioners (seed 003)."""

    name = "zwfw.talents"
    label = "talents"
    verbose_name = "人才服务"

    def ready(self):
        from zwfw.core import home
        from zwfw.talents import panels

        home.register(panels.commissioner_panel)
