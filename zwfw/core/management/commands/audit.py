"""`zwfw audit verify [--chain C]`: check the keyed chains (one per center) and the signed
checkpoints; `--chain` checks one center's chain (its id, or "platform").
`zwfw audit checkpoint`: append a signed checkpoint of every chain's head (outside the database).
`zwfw audit rechain`: re-chain the whole trail with the current key (after changing the audit key).
"""

from django.core.management.base import BaseCommand, CommandError

from zwfw.core import audit


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链与检查点；checkpoint 写入签名检查点；rechain 更换密钥后重建审计链"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint", "rechain"])
        parser.add_argument(
            "--chain", action="append", help="verify only this chain (center id or platform)"
        )

    def handle(self, *args, **options):
        if options["action"] == "checkpoint":
            return self.checkpoint()
        if options["action"] == "rechain":
            count = audit.rechain_trail()
            self.stdout.write(f"audit trail re-chained with the current key: {count} events")
            return None
        result = audit.verify(chains=options.get("chain"))
        for r in result.chains:
            state = "OK" if r.ok else f"BROKEN at event {r.broken_id}"
            self.stdout.write(f"chain {r.chain} ({r.label}): {r.checked} events, {state}")
        if result.broken_id is not None:
            raise CommandError(
                f"audit chain broken at event {result.broken_id}: {result.reason} "
                f"({result.checked} events verified)" + "".join(f"\n{p}" for p in result.problems)
            )
        if not result.ok:
            raise CommandError(
                f"audit chain does not match its checkpoints ({result.checked} events, "
                f"{result.checkpoints} valid checkpoints):\n" + "\n".join(result.problems)
            )
        self.stdout.write(
            f"audit chain OK: {result.checked} events in {len(result.chains)} chains verified, "
            f"{result.checkpoints} checkpoints ({audit.checkpoint_path()})"
        )
        return None

    def checkpoint(self):
        record, sent = audit.checkpoint()
        total = sum(h["count"] for h in record["chains"].values())
        self.stdout.write(
            f"checkpoint written to {audit.checkpoint_path()}: {len(record['chains'])} chains, "
            f"{total} events, {record['at']}"
        )
        if not sent:
            raise CommandError("checkpoint written to the file, but the remote sink failed")
