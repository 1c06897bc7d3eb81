"""`zwfw audit verify`: check the hash chain and name the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from zwfw.core import audit


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        result = audit.verify()
        if not result.ok:
            raise CommandError(
                f"audit chain broken at event {result.broken_id}: {result.reason} "
                f"({result.checked} events verified before it)"
            )
        self.stdout.write(f"audit chain OK: {result.checked} events verified")
