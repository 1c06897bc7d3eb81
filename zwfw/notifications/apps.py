from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zwfw.notifications"
    label = "notifications"
    verbose_name = "通知发件箱"
