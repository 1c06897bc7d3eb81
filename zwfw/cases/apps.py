from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zwfw.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self):
        # tasks: periodic refresh; exports: the lists' .xlsx exports (core.exports registry)
        from zwfw.cases import exports, home, services, tasks  # noqa: F401
        from zwfw.cases.services import timing
        from zwfw.core.home import register
        from zwfw.grants import hooks as grant_hooks
        from zwfw.workdays import hooks as workday_hooks

        # L-CAL: a year entered or edited moves open cases' due dates, in background batches
        # (workdays.recompute), each moved date on the case's timeline and in the audit chain.
        workday_hooks.recomputer = workday_hooks.Recomputer(
            scope=timing.recompute_scope,
            batch=timing.recompute_batch,
            affects=timing.recompute_affects,
            finished=timing.recompute_finished,
        )
        # N-14: the committee's decision on a referred case becomes the case's decision.
        if services.on_agenda_decided not in grant_hooks.on_agenda_decided:
            grant_hooks.on_agenda_decided.append(services.on_agenda_decided)
        register(home.awaiting_decision_panel)  # 待我决定 (issue 16 point 3)
        register(home.my_cases_panel)
        register(home.department_alerts_panel)
        from zwfw.cases.steps_views import my_steps_panel

        register(my_steps_panel)  # 待我办理: normal-procedure steps (issue 12 point 1)
