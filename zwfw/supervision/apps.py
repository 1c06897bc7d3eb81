from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zwfw.supervision"
    label = "supervision"
    verbose_name = "监督检查"
