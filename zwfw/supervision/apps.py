from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zwfw.supervision"
    label = "supervision"
    verbose_name = "监督检查"

    def ready(self):
        from zwfw.core.home import register
        from zwfw.supervision import home, tasks  # noqa: F401  (tasks registers the daily job)

        register(home.inspector_tasks_panel)
        register(home.department_rectifications_panel)
        register(home.draws_in_progress_panel)
        register(home.new_interference_panel)  # N-7 (issue 16 point 3)
