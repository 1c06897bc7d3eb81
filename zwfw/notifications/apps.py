from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zwfw.notifications"
    label = "notifications"
    verbose_name = "通知发件箱"

    def ready(self):
        from zwfw.notifications import tasks  # noqa: F401  (registers the periodic retry)
