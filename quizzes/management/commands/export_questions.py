"""Write the question bank from the database to a JSON file, in the loader's format."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from quizzes.bank.selectors import bank_export_data
from quizzes.management.commands.load_questions import DEFAULT_PATH
from quizzes.rules.bankfile import bank_dumps, bank_questions


class Command(BaseCommand):
    help = "Export the question bank (admin edits included) so it can be reviewed and committed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", default=str(DEFAULT_PATH), help="where to write it; - for stdout"
        )

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        data = bank_export_data()
        text = bank_dumps(data)
        if path == "-":
            sys.stdout.write(text)
            return
        Path(path).write_text(text, encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(bank_questions(data))} questions in {len(data['facts'])} facts "
                f"to {path}."
            )
        )
