from django.apps import AppConfig


class StaffConfig(AppConfig):
    """Resident staff (进驻人员, seed 002): admission, postings and change letters, leave,
    monthly assessment and bulletins, annual grades, chief officers' annual review."""

    name = "zwfw.staff"
    label = "staff"
    verbose_name = "进驻人员"

    def ready(self):
        from zwfw.core import home
        from zwfw.staff import home as panels

        home.register(panels.ending_panel)
        home.register(panels.pending_panel)
        home.register(panels.resident_panel)
