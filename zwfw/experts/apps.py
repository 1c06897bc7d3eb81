from django.apps import AppConfig


def expiring_panel(user):
    """E-11.1: the office sees chief-expert titles whose 4-year term ends within 90 days."""
    from django.urls import reverse
    from django.utils import timezone

    from zwfw.core.home import Panel
    from zwfw.experts import selectors

    if not selectors.is_office(user):
        return None
    today = timezone.localdate()
    rows = [
        {
            "text": f"{e.person.name}（{e.sector.name}）首席专家管理期至{e.term_end:%Y-%m-%d}",
            "url": reverse("experts:expert", args=[e.pk]),
            "level": "red" if (e.term_end - today).days <= 30 else "yellow",
            "meta": f"剩余{(e.term_end - today).days}天",
        }
        for e in selectors.expiring(today)[:20]
    ]
    if not rows:
        return None
    return Panel(title="首席专家管理期即将届满", rows=rows, link=reverse("experts:index"), order=60)


class ExpertsConfig(AppConfig):
    name = "zwfw.experts"
    label = "experts"
    verbose_name = "首席专家"

    def ready(self):
        from zwfw.core import home

        home.register(expiring_panel)
