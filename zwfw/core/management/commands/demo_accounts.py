from django.core.management.base import BaseCommand

from zwfw.org.demo import DEMO_PASSWORD, accounts_table


class Command(BaseCommand):
    help = "列出演示账号及其角色"

    def handle(self, *args, **options):
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, name, roles in accounts_table():
            self.stdout.write(f"  {username:<14} {name:<6} {roles}")
