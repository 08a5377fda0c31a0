"""Mark failed every "Optimize my schedule" run no worker finished in time, and delete its task's
row (run it from cron every few minutes)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from quizzes.limits import FIT_ABANDONED_MINUTES
from quizzes.parameters.services import fits_abandon


class Command(BaseCommand):
    help = (
        "Mark failed the optimizer runs still unfinished "
        f"{FIT_ABANDONED_MINUTES} minutes after they were asked for, "
        "and delete their rows from the task queue."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = fits_abandon(now=timezone.now())
        self.stdout.write(f"Marked {count} abandoned optimizer run(s) failed.")
