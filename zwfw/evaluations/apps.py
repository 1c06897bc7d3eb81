from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "zwfw.evaluations"
    label = "evaluations"
    verbose_name = "好差评"

    def ready(self):
        from zwfw.core.home import register
        from zwfw.evaluations import home, tasks  # noqa: F401  (tasks: periodic jobs)

        register(home.open_rectifications_panel)
        register(home.center_oversight_panel)
