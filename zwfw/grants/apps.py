from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "zwfw.grants"
    label = "grants"
    verbose_name = "授权与首席服务员"

    def ready(self):
        from zwfw.core.home import register
        from zwfw.grants import home, tasks  # noqa: F401  (tasks registers the daily job)

        register(home.proposals_panel)
        register(home.expiring_panel)
        register(home.uncovered_panel)
        register(home.adjustments_panel)
