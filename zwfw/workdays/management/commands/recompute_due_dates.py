"""`manage.py recompute_due_dates`: finish the due-date recomputations a calendar edit left
unfinished (L-CAL), in this process: after a crash, or where no Huey worker runs."""

from django.core.management.base import BaseCommand, CommandError

from zwfw.workdays import recompute
from zwfw.workdays.models import CalendarRecompute


class Command(BaseCommand):
    help = "继续完成因修改工作日历而未完成的办件期限重新计算"

    def add_arguments(self, parser):
        parser.add_argument("--job", type=int, help="只处理这一个任务（编号）")
        parser.add_argument(
            "--stale",
            type=float,
            default=0,
            help="只处理这么多秒内没有进展的任务（默认0：全部未完成的任务）",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help=f"每批办件数（默认自动：不超过{recompute.BATCH_SIZE}，每批约{recompute.TARGET_SECONDS}秒）",
        )

    def handle(self, *args, job=None, stale=0, batch_size=None, **options):
        if job is not None:
            if not CalendarRecompute.objects.filter(pk=job).exists():
                raise CommandError(f"没有编号为{job}的重新计算任务")
            ids = [job]
        else:
            ids = recompute.unfinished(stale_seconds=stale)
        if not ids:
            self.stdout.write("没有未完成的重新计算任务")
        for job_id in ids:
            done = recompute.run(job_id, size=batch_size)
            self.stdout.write(
                f"任务{job_id}（{done.year}年第{done.revision}版）：{done.get_state_display()}，"
                f"已处理{done.done}/{done.total}件，期限变化{done.changed}件，{done.batches}批"
            )
