"""Grade an answer to one question as the site would, and show the forms it was compared with."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.models import Question
from quizzes.rules.bankfile import BankError, bank_parse, bank_questions
from quizzes.rules.grading import answer_forms, answer_key, grade, parse_date

# Exit statuses: 0 right, 1 wrong, 2 the question could not be found or read.
EXIT_WRONG = 1
EXIT_NOT_FOUND = 2


class Command(BaseCommand):
    help = (
        'Grade an answer to a question: prints "right" or "wrong" and the forms it compared; '
        "exits 0 when right, 1 when wrong and 2 when the question is unknown."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the question's slug")
        parser.add_argument("answer", help="the answer as a learner would type it")
        parser.add_argument(
            "--bank",
            metavar="PATH",
            help="grade against this bank file (e.g. fixtures/questions.json) instead of the "
            "database, to check an edit before loading it",
        )

    def handle(self, *args: Any, slug: str, answer: str, bank: str | None, **options: Any) -> None:
        expected, accepted = self._question(slug, bank)
        verdict = grade(answer, answer=expected, accepted=accepted)
        self.stdout.write("right" if verdict.correct else "wrong")
        if verdict.correct:
            self.stdout.write(f'Matched "{verdict.matched}": {verdict.rule}.')
        elif not answer.strip():
            self.stdout.write("An empty answer is never right.")
        self.stdout.write(f"Your answer reads as: {_reading(answer)}")
        forms = answer_forms(expected, accepted)
        self.stdout.write(f"Compared with {len(forms)} forms:")
        for form in forms:
            self.stdout.write(f'  "{form}": {_reading(form)}')
        if not verdict.correct:
            raise SystemExit(EXIT_WRONG)

    def _question(self, slug: str, bank: str | None) -> tuple[str, list[str]]:
        if bank is None:
            question = Question.objects.select_related("fact").filter(slug=slug).first()
            if question is None:
                raise CommandError(
                    f'There is no question with the slug "{slug}" in the database.',
                    returncode=EXIT_NOT_FOUND,
                )
            # Graded as the site grades it: by its fact's answer and accepted forms.
            return question.answer, [question.fact.answer, *question.fact.accepted_answers]
        try:
            data = bank_parse(Path(bank).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(
                f"Cannot read {bank}: {error.strerror}.", returncode=EXIT_NOT_FOUND
            ) from None
        except BankError as error:
            raise CommandError(
                f"{bank} is not a valid bank file:\n{error}", returncode=EXIT_NOT_FOUND
            ) from None
        for entry in bank_questions(data):
            if entry["slug"] == slug:
                return entry["answer"], list(entry["accepted_answers"])
        raise CommandError(
            f'There is no question with the slug "{slug}" in {bank}.', returncode=EXIT_NOT_FOUND
        )


def _reading(text: str) -> str:
    """How grading reads a text: its words, and the date it names if it is one."""
    reading = f"words {json.dumps(answer_key(text), ensure_ascii=False)}"
    date = parse_date(text)
    if date is not None:
        reading += f", date {date}" + ("" if date.year else " (no year)")
    return reading
