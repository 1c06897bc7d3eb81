"""`zwfw audit verify`: check the keyed chain and the signed checkpoints.
`zwfw audit checkpoint`: append a signed checkpoint of the chain's head (outside the database).
"""

from django.core.management.base import BaseCommand, CommandError

from zwfw.core import audit


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链与检查点；checkpoint 写入签名检查点"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint"])

    def handle(self, *args, **options):
        if options["action"] == "checkpoint":
            return self.checkpoint()
        result = audit.verify()
        if result.broken_id is not None:
            raise CommandError(
                f"audit chain broken at event {result.broken_id}: {result.reason} "
                f"({result.checked} events verified before it)"
                + "".join(f"\n{p}" for p in result.problems[1:])
            )
        if not result.ok:
            raise CommandError(
                f"audit chain does not match its checkpoints ({result.checked} events, "
                f"{result.checkpoints} valid checkpoints):\n" + "\n".join(result.problems)
            )
        self.stdout.write(
            f"audit chain OK: {result.checked} events verified, "
            f"{result.checkpoints} checkpoints ({audit.checkpoint_path()})"
        )

    def checkpoint(self):
        record, sent = audit.checkpoint()
        self.stdout.write(
            f"checkpoint written to {audit.checkpoint_path()}: head {record['head_id']}, "
            f"{record['count']} events, {record['at']}"
        )
        if not sent:
            raise CommandError("checkpoint written to the file, but the remote sink failed")
