from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "zwfw.experts"
    label = "experts"
    verbose_name = "首席专家"
