"""Finish every quiz attempt whose deadline has passed (run it from cron every minute or so)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from quizzes.quiz.services import attempts_finish_overdue


class Command(BaseCommand):
    help = "Finish and score quiz attempts whose deadline (plus the grace) has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        count = attempts_finish_overdue(now=timezone.now())
        self.stdout.write(f"Finished {count} overdue quiz attempt(s).")
