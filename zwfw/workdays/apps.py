from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "zwfw.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self):
        from zwfw.core import home
        from zwfw.workdays import panels, tasks  # noqa: F401 (tasks: Huey jobs, L-CAL)

        home.register(panels.calendar_panel)
