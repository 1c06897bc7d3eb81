from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zwfw.core"
    label = "core"
    verbose_name = "平台基础"
