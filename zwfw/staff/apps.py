from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "zwfw.staff"
    label = "staff"
    verbose_name = "进驻人员"
