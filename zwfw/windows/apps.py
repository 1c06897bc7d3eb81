from django.apps import AppConfig


class WindowsConfig(AppConfig):
    """The comprehensive window (无差别综合窗口, R-17): the center's authorizations, the staff
    posted at a window, the window a case was taken in at, and full-process agency."""

    name = "zwfw.windows"
    label = "windows"
    verbose_name = "无差别综合窗口"
