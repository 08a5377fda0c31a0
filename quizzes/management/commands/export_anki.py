"""Write the active questions as an Anki package (.apkg) that updates its notes on re-import."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from quizzes.bank.selectors import anki_questions
from quizzes.models import Category
from quizzes.rules.anki import DEFAULT_DECK_NAME, build_package


class Command(BaseCommand):
    help = (
        "Export the active questions as an Anki package (.apkg). Importing a newer export into "
        "Anki updates the notes it already has instead of adding them again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="where to write the .apkg file")
        parser.add_argument(
            "--category", metavar="SLUG", help="export only this category's questions"
        )

    def handle(self, *args: Any, out: str, category: str | None, **options: Any) -> None:
        if category is not None and not Category.objects.filter(slug=category).exists():
            known = ", ".join(Category.objects.order_by("slug").values_list("slug", flat=True))
            hint = f"Known categories: {known}." if known else "There are no categories yet."
            raise CommandError(f"There is no category with the slug “{category}”. {hint}")
        questions = anki_questions(category_slug=category)
        package = build_package(questions, now=timezone.now(), deck_name=DEFAULT_DECK_NAME)
        try:
            Path(out).write_bytes(package)
        except OSError as error:
            raise CommandError(f"Could not write {out}: {error.strerror}.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(questions)} notes to {out} (deck “{DEFAULT_DECK_NAME}”)."
            )
        )
