from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zwfw.documents"
    label = "documents"
    verbose_name = "文书生成"
