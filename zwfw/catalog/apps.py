from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zwfw.catalog"
    label = "catalog"
    verbose_name = "事项与办事指南"

    def ready(self):
        from zwfw.catalog import panels  # noqa: F401  (registers the home panels)
