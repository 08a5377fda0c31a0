"""Mark failed every "Optimize my schedule" run that lost its worker, and end its task's row (run
it from cron every few minutes)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from quizzes.limits import FIT_ABANDONED_MINUTES, FIT_RUNNING_ABANDONED_MINUTES
from quizzes.parameters.services import fits_abandon


class Command(BaseCommand):
    help = (
        f"Mark failed the optimizer runs no worker took up within {FIT_ABANDONED_MINUTES} "
        f"minutes, or left unfinished {FIT_RUNNING_ABANDONED_MINUTES} minutes after taking "
        "them up, and end their rows in the task queue."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = fits_abandon(now=timezone.now())
        self.stdout.write(f"Marked {count} abandoned optimizer run(s) failed.")
