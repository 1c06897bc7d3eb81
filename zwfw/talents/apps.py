from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "zwfw.talents"
    label = "talents"
    verbose_name = "人才服务"
