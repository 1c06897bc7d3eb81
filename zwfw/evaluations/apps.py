from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "zwfw.evaluations"
    label = "evaluations"
    verbose_name = "好差评"
