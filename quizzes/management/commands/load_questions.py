"""Load the question bank from a JSON file: validate all of it, then write it in one transaction."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.bank.services import bank_load
from quizzes.rules.bankfile import BankError, bank_parse

DEFAULT_PATH = Path(__file__).resolve().parents[3] / "fixtures" / "questions.json"


class Command(BaseCommand):
    help = (
        "Validate a question-bank file and load it: new questions are added, changed ones updated "
        "in place (learners' progress is kept), questions no longer in the file deactivated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH), help="bank file (JSON)")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            data = bank_parse(text)
        except BankError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(error.problems)} problem(s) in {path}; nothing was loaded."
            ) from None
        summary = bank_load(data=data)
        self.stdout.write(self.style.SUCCESS(f"Loaded {path}: {summary}."))
