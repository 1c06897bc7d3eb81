"""The `zwfw` command: `zwfw audit verify` and any other management command."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zwfw", *sys.argv[1:]])
