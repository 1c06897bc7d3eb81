from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zwfw.org"
    label = "org"
    verbose_name = "组织与人员"

    def ready(self):
        from zwfw.org import panels  # noqa: F401  (registers the home panels)
