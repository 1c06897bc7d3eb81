"""Load the demo city: idempotent, a second run adds nothing."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Order matters: later apps build on the data of earlier ones.
DEMO_MODULES = [
    "zwfw.org.demo",
    "zwfw.workdays.demo",
    "zwfw.catalog.demo",
    "zwfw.grants.demo",
    "zwfw.cases.demo",
    "zwfw.windows.demo",  # the comprehensive window Z01 (issue 12 point 4, R-17)
    "zwfw.evaluations.demo",
    "zwfw.supervision.demo",
    "zwfw.experts.demo",  # issue 13
    "zwfw.staff.demo",  # issue 14
    "zwfw.talents.demo",  # issue 15
]


class Command(BaseCommand):
    help = "加载演示数据（可重复执行，不会重复加载）"

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            with transaction.atomic():
                summary = module.load()
            self.stdout.write(f"{name}: {summary}")
