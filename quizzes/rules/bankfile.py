"""The question bank's file format and its rules, shared by the loader, the exporter and the admin.

A bank file is JSON: {"categories": [...], "questions": [...]}. Everything here works on plain
values (no ORM), so the same checks run on a file before anything is written and on an admin form.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

from quizzes.enums import QuestionKind
from quizzes.limits import MAX_CHOICES, MAX_LENGTHS, MIN_CHOICES
from quizzes.rules.article import passage_offset
from quizzes.rules.cloze import cloze_field_problems

KINDS = tuple(QuestionKind.values)
# The kinds answered by typing: they have accepted answers and no choices.
TYPED_KINDS = tuple(kind for kind in QuestionKind if not kind.has_choices)
# A cloze's prompt, answer and passage are checked against each other (quizzes/rules/cloze.py).
CLOZE_FIELDS = ("prompt", "answer", "passage")
TRUE_FALSE_CHOICES = ("True", "False")

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # used with fullmatch: no trailing newline

CATEGORY_KEYS = ("slug", "name", "description")
QUESTION_KEYS = (
    "slug",
    "category",
    "kind",
    "prompt",
    "answer",
    "accepted_answers",
    "choices",
    "explanation",
    "passage",
    "active",
)
REQUIRED_QUESTION_KEYS = ("slug", "category", "kind", "prompt", "answer", "explanation", "passage")


@dataclass(frozen=True)
class Problem:
    slug: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.slug}: {self.field}: {self.message}"


class BankError(Exception):
    """The bank file cannot be used; `problems` says every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def bank_parse(text: str) -> dict[str, Any]:
    """Parse a bank file's text, raising BankError with the position of broken JSON."""
    try:
        data: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError as error:
        raise BankError(
            [
                Problem(
                    "(file)",
                    "json",
                    f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
                )
            ]
        ) from None
    problems = bank_problems(data)
    if problems:
        raise BankError(problems)
    return data


def bank_dumps(data: dict[str, Any]) -> str:
    """Serialise a bank in its canonical form (what export writes and the bundled file uses)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def storable_problems(value: str) -> list[str]:
    """Text every database can store: no NUL character (PostgreSQL refuses one), valid UTF-8."""
    if "\x00" in value:
        return ["contains a NUL character"]
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return ["contains a character that is not valid Unicode (a lone surrogate)"]
    return []


def slug_problems(slug: str) -> list[str]:
    """The slug format the loader accepts (stricter than Django's: no capitals, no underscores)."""
    if not SLUG_RE.fullmatch(slug):
        return ["use lowercase letters, digits and single hyphens"]
    return []


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


def _storable(label: str, entry: dict[str, Any]) -> list[Problem]:
    return [
        Problem(label, field, message)
        for field, value in entry.items()
        for message in dict.fromkeys(m for s in _strings(value) for m in storable_problems(s))
    ]


def passage_problems(passage: str) -> list[str]:
    if not passage.strip():
        return ["is empty"]
    if len(passage) > MAX_LENGTHS["passage"]:
        return [f"is longer than {MAX_LENGTHS['passage']} characters"]
    if passage_offset(passage) is None:
        return ["is not a verbatim span of the article body (copy it character for character)"]
    return []


def choice_problems(kind: str, answer: str, choices: list[tuple[str, bool]]) -> list[str]:
    """Check a question's choices (text, is_correct) against its kind and answer."""
    texts = [text for text, _ in choices]
    correct = [text for text, is_correct in choices if is_correct]
    if kind == QuestionKind.TYPED:
        return ["a typed-answer question has no choices"] if choices else []
    if kind == QuestionKind.CLOZE:
        return ["a cloze question has no choices"] if choices else []
    problems = []
    if kind == QuestionKind.TRUE_FALSE:
        if sorted(texts) != sorted(TRUE_FALSE_CHOICES):
            problems.append('a true/false question has exactly the choices "True" and "False"')
    elif not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
        problems.append(
            f"a multiple-choice question needs {MIN_CHOICES} to {MAX_CHOICES} choices, "
            f"not {len(choices)}"
        )
    if len(correct) != 1:
        problems.append(f"exactly one choice must be correct, not {len(correct)}")
    elif correct[0] != answer:
        problems.append(f'the correct choice "{correct[0]}" differs from the answer "{answer}"')
    if len({t.strip().casefold() for t in texts}) != len(texts):
        problems.append("two choices have the same text")
    for text in texts:
        if not text.strip():
            problems.append("a choice is empty")
        elif len(text) > MAX_LENGTHS["choice"]:
            problems.append(f"a choice is longer than {MAX_LENGTHS['choice']} characters")
    return problems


def _text_problems(question: dict[str, Any], field: str) -> list[str]:
    value = question.get(field)
    if value is None:
        return ["is missing"]
    if not isinstance(value, str):
        return ["must be text"]
    if not value.strip():
        return ["is empty"]
    limit = MAX_LENGTHS.get(field)
    if limit and len(value) > limit:
        return [f"is longer than {limit} characters"]
    return []


def question_problems(question: Any, category_slugs: set[str], index: int) -> list[Problem]:
    """Check one question entry of a bank file."""
    if not isinstance(question, dict):
        return [Problem(f"(question {index + 1})", "(entry)", "must be an object")]
    slug = question.get("slug") if isinstance(question.get("slug"), str) else ""
    name = slug or f"(question {index + 1})"
    problems = [
        Problem(name, key, "is not a known field") for key in question if key not in QUESTION_KEYS
    ]
    for field in REQUIRED_QUESTION_KEYS:
        problems += [Problem(name, field, m) for m in _text_problems(question, field)]
    if slug:
        problems += [Problem(name, "slug", m) for m in slug_problems(slug)]
    problems += _storable(name, question)
    if isinstance(question.get("category"), str) and question["category"] not in category_slugs:
        problems.append(
            Problem(name, "category", f'"{question["category"]}" is not a category of this file')
        )
    kind = question.get("kind")
    if isinstance(kind, str) and kind not in KINDS:
        problems.append(Problem(name, "kind", f'"{kind}" is not one of {", ".join(KINDS)}'))
    if "active" in question and not isinstance(question["active"], bool):
        problems.append(Problem(name, "active", "must be true or false"))

    accepted = question.get("accepted_answers", [])
    if not isinstance(accepted, list) or not all(
        isinstance(a, str) and a.strip() for a in accepted
    ):
        problems.append(Problem(name, "accepted_answers", "must be a list of non-empty texts"))
        accepted = []
    if any(len(a) > MAX_LENGTHS["accepted_answer"] for a in accepted):
        problems.append(Problem(name, "accepted_answers", "an accepted answer is too long"))
    if accepted and kind not in TYPED_KINDS:
        problems.append(
            Problem(name, "accepted_answers", "only typed-answer and cloze questions have them")
        )

    choices = question.get("choices", [])
    pairs: list[tuple[str, bool]] = []
    if not isinstance(choices, list) or not all(
        isinstance(c, dict)
        and isinstance(c.get("text"), str)
        and isinstance(c.get("correct"), bool)
        and set(c) <= {"text", "correct"}
        for c in choices
    ):
        problems.append(Problem(name, "choices", 'must be a list of {"text": …, "correct": …}'))
    else:
        pairs = [(c["text"], c["correct"]) for c in choices]
    if kind in KINDS and isinstance(question.get("answer"), str) and isinstance(choices, list):
        problems += [
            Problem(name, "choices", m) for m in choice_problems(kind, question["answer"], pairs)
        ]
    if isinstance(question.get("passage"), str) and question["passage"].strip():
        problems += [Problem(name, "passage", m) for m in passage_problems(question["passage"])]
    if kind == QuestionKind.CLOZE:
        problems += _cloze_entry_problems(question, name)
    return problems


def _cloze_entry_problems(question: dict[str, Any], name: str) -> list[Problem]:
    """A cloze's marker, answer and passage against each other and the article."""
    if not all(isinstance(question.get(field), str) for field in CLOZE_FIELDS):
        return []  # already reported as missing or not text
    found = cloze_field_problems(question["prompt"], question["answer"], question["passage"])
    return [Problem(name, problem.field, problem.message) for problem in found]


def bank_problems(data: Any) -> list[Problem]:
    """Check a whole parsed bank file: structure, categories, every question, unique slugs."""
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("questions"), list)
        or not isinstance(data.get("categories"), list)
    ):
        return [
            Problem(
                "(file)", "(structure)", 'must be an object with "categories" and "questions" lists'
            )
        ]
    problems: list[Problem] = []
    category_slugs: set[str] = set()
    for index, category in enumerate(data["categories"]):
        label = f"(category {index + 1})"
        if not isinstance(category, dict):
            problems.append(Problem(label, "(entry)", "must be an object"))
            continue
        slug = category.get("slug")
        if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug):
            problems.append(Problem(label, "slug", "must be a slug"))
            continue
        if len(slug) > MAX_LENGTHS["category_slug"]:
            problems.append(
                Problem(slug, "slug", f"is longer than {MAX_LENGTHS['category_slug']} characters")
            )
        problems += _storable(slug, category)
        if slug in category_slugs:
            problems.append(Problem(slug, "slug", "is used by two categories"))
        category_slugs.add(slug)
        if not isinstance(category.get("name"), str) or not category["name"].strip():
            problems.append(Problem(slug, "name", "is missing"))
        elif len(category["name"]) > MAX_LENGTHS["category_name"]:
            limit = MAX_LENGTHS["category_name"]
            problems.append(Problem(slug, "name", f"is longer than {limit} characters"))
        if not isinstance(category.get("description", ""), str):
            problems.append(Problem(slug, "description", "must be text"))
        problems += [
            Problem(slug, k, "is not a known field") for k in category if k not in CATEGORY_KEYS
        ]
    seen: set[str] = set()
    for index, question in enumerate(data["questions"]):
        problems += question_problems(question, category_slugs, index)
        slug = question.get("slug") if isinstance(question, dict) else None
        if isinstance(slug, str):
            if slug in seen:
                problems.append(Problem(slug, "slug", "is used by more than one question"))
            seen.add(slug)
    return problems
