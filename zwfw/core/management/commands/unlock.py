"""`zwfw unlock USERNAME`: lift every login lock of an account (core.lockout): axes' locks
per address and the per-username ceiling."""

from axes.utils import reset
from django.core.management.base import BaseCommand

from zwfw.core import lockout


class Command(BaseCommand):
    help = "解除账号的登录锁定（各来源地址的锁定与账号失败次数上限）"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        attempts = reset(username=username)
        lockout.unlock_username(username)
        self.stdout.write(f"unlocked {username} ({attempts} address locks cleared)")
