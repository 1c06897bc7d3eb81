from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "zwfw.grants"
    label = "grants"
    verbose_name = "授权与首席服务员"
