"""Grade an answer to one question as the site would, and show the forms it was compared with;
or, with --batch, grade a file of answers, one JSON object a line in and one a line out."""

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.bank.cache import fact_forms
from quizzes.enums import QuestionKind
from quizzes.models import Question
from quizzes.rules.answer_dates import parse_date
from quizzes.rules.answer_words import read
from quizzes.rules.bankfile import BankError, bank_parse, bank_questions
from quizzes.rules.grading import MAX_ANSWER_LENGTH, answer_forms, grade

# Exit statuses: 0 right, 1 wrong, 2 the question (or the batch file) could not be found or read.
EXIT_WRONG = 1
EXIT_NOT_FOUND = 2
# A batch line longer than this is refused unread: no slug and answer need a tenth of it.
MAX_LINE_BYTES = 4096
_TYPED_KINDS = {QuestionKind.TYPED.value, QuestionKind.CLOZE.value}


class Typed(NamedTuple):
    """What grading needs of a typed or cloze question."""

    kind: str
    answer: str
    accepted: list[str]
    prompt: str


class Command(BaseCommand):
    # Tests hand --batch - its input as call_command(..., stdin=a binary stream).
    stealth_options = ("stdin",)
    help = (
        'Grade an answer to a question: prints "right" or "wrong" and the forms it compared; '
        "exits 0 when right, 1 when wrong and 2 when the question is unknown. With --batch FILE "
        '(or - for standard input), reads one {"slug": …, "answer": …} object a line and writes '
        'one {"slug", "answer", "correct", "rule", "matched"} object a line, or {"line", '
        '"error"} for a line it cannot grade.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", nargs="?", help="the question's slug")
        parser.add_argument("answer", nargs="?", help="the answer as a learner would type it")
        parser.add_argument(
            "--bank",
            metavar="PATH",
            help="grade against this bank file (e.g. fixtures/questions.json) instead of the "
            "database, to check an edit before loading it",
        )
        parser.add_argument(
            "--batch",
            metavar="FILE",
            help="grade every line of FILE (- for standard input), one JSON object a line",
        )

    def handle(
        self,
        *args: Any,
        slug: str | None,
        answer: str | None,
        bank: str | None,
        batch: str | None,
        **options: Any,
    ) -> None:
        if batch is not None:
            if slug is not None or answer is not None:
                raise CommandError("Give either --batch FILE or a slug and an answer, not both.")
            self._batch(batch, bank, options.get("stdin"))
            return
        if slug is None or answer is None:
            raise CommandError("Give a question's slug and an answer, or --batch FILE.")
        question = self._question(slug, bank)
        verdict = grade(
            answer, answer=question.answer, accepted=question.accepted, prompt=question.prompt
        )
        self.stdout.write("right" if verdict.correct else "wrong")
        if verdict.correct:
            self.stdout.write(f'Matched "{verdict.matched}": {verdict.rule}.')
        elif not answer.strip():
            self.stdout.write("An empty answer is never right.")
        self.stdout.write(f"Your answer reads as: {_reading(answer)}")
        forms = answer_forms(question.answer, question.accepted)
        self.stdout.write(f"Compared with {len(forms)} forms:")
        for form in forms:
            self.stdout.write(f'  "{form}": {_reading(form)}')
        if not verdict.correct:
            raise SystemExit(EXIT_WRONG)

    def _question(self, slug: str, bank: str | None) -> Typed:
        questions = self._questions(bank, [slug])
        if slug not in questions:
            where = "the database" if bank is None else bank
            raise CommandError(
                f'There is no question with the slug "{slug}" in {where}.',
                returncode=EXIT_NOT_FOUND,
            )
        return questions[slug]

    def _questions(self, bank: str | None, slugs: Iterable[str] | None = None) -> dict[str, Typed]:
        """The questions by slug, from the database or a bank file (only `slugs` when given)."""
        if bank is None:
            rows = Question.objects.select_related("fact")
            if slugs is not None:
                rows = rows.filter(slug__in=list(slugs))
            # Graded as the site grades it: a typed or cloze question by its fact's forms.
            return {
                q.slug: Typed(
                    q.kind,
                    q.answer,
                    list(fact_forms(q.kind, q.fact.answer, q.fact.accepted_answers)),
                    q.prompt,
                )
                for q in rows
            }
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
        return {
            entry["slug"]: Typed(
                entry["kind"], entry["answer"], list(entry["accepted_answers"]), entry["prompt"]
            )
            for entry in bank_questions(data)
        }

    def _batch(self, path: str, bank: str | None, stdin: IO[bytes] | None) -> None:
        questions = self._questions(bank)
        if path == "-":
            self._grade_lines(stdin or sys.stdin.buffer, questions)
            return
        try:
            with Path(path).open("rb") as lines:
                self._grade_lines(lines, questions)
        except OSError as error:
            raise CommandError(
                f"Cannot read {path}: {error.strerror}.", returncode=EXIT_NOT_FOUND
            ) from None

    def _grade_lines(self, lines: IO[bytes], questions: dict[str, Typed]) -> None:
        for number, raw in _numbered_lines(lines):
            result = _graded_line(number, raw, questions)
            if result is not None:
                self.stdout.write(json.dumps(result, ensure_ascii=False))


def _numbered_lines(lines: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """Each line with its number; None for a line too long to read (the rest of it is skipped)."""
    number = 0
    while True:
        chunk = lines.readline(MAX_LINE_BYTES + 1)
        if not chunk:
            return
        number += 1
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):
                chunk = lines.readline(MAX_LINE_BYTES + 1)
            yield number, None
        else:
            yield number, chunk


def _graded_line(
    number: int, raw: bytes | None, questions: dict[str, Typed]
) -> dict[str, Any] | None:
    """The output object for one line: its verdict, an error, or None for a blank line."""

    def error(message: str) -> dict[str, Any]:
        return {"line": number, "error": message}

    if raw is None:
        return error(f"the line is longer than {MAX_LINE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return error("the line is not UTF-8 text")
    if "\x00" in text:
        return error("the line holds a NUL character: not text")
    if not text.strip():
        return None
    try:
        item = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return error('the line is not JSON; write {"slug": "…", "answer": "…"}')
    if not isinstance(item, dict):
        return error('the line is not a JSON object; write {"slug": "…", "answer": "…"}')
    slug, answer = item.get("slug"), item.get("answer")
    if not isinstance(slug, str) or not isinstance(answer, str):
        return error('"slug" and "answer" must both be strings')
    if not all(_is_text(value) for value in (slug, answer)):
        return error("the slug or the answer holds characters that are not text")
    question = questions.get(slug)
    if question is None:
        return error(f'there is no question with the slug "{slug[:100]}"')
    if question.kind not in _TYPED_KINDS:
        return error(f'"{slug}" is answered by choosing, not by typing')
    if len(answer) > MAX_ANSWER_LENGTH:
        return error(f"the answer is longer than {MAX_ANSWER_LENGTH} characters")
    verdict = grade(
        answer, answer=question.answer, accepted=question.accepted, prompt=question.prompt
    )
    return {
        "slug": slug,
        "answer": answer,
        "correct": verdict.correct,
        "rule": str(verdict.rule) if verdict.correct else None,
        "matched": verdict.matched,
    }


def _is_text(value: str) -> bool:
    """Whether a string decoded from JSON is writable text: no NUL, no lone surrogate."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reading(text: str) -> str:
    """How grading reads a text: its words, and the date it names if it is one."""
    words = " ".join(read(text).key)  # as the rules compare them: "A. Putin" keeps its "a"
    reading = f"words {json.dumps(words, ensure_ascii=False)}"
    date = parse_date(text)
    if date is not None:
        reading += f", date {date}" + ("" if date.year else " (no year)")
    return reading
