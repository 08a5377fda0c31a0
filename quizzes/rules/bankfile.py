"""The question bank's file format and its rules, shared by the loader, the exporter and the admin.

A bank file is JSON: {"categories": [...], "facts": [...]}, each fact holding its claim, answer,
accepted forms, passage and its "questions" (its cards). Everything here works on plain values (no
ORM), so the same checks run on a file before anything is written and on an admin form.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

from quizzes.enums import QuestionKind
from quizzes.limits import MAX_ACCEPTED_ANSWERS, MAX_LENGTHS
from quizzes.rules.article import passage_occurrences
from quizzes.rules.choices import choice_problems, wrong_choices_right
from quizzes.rules.cloze import cloze_field_problems, marker_problems
from quizzes.rules.grading import grade
from quizzes.rules.visible import shown_problems

KINDS = tuple(QuestionKind.values)
# The kinds answered by typing: they have accepted answers and no choices.
TYPED_KINDS = tuple(kind for kind in QuestionKind if not kind.has_choices)
# A cloze's prompt, answer and passage are checked against each other (quizzes/rules/cloze.py).
CLOZE_FIELDS = ("prompt", "answer", "passage")

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # used with fullmatch: no trailing newline

CATEGORY_KEYS = ("slug", "name", "description")
FACT_KEYS = ("slug", "claim", "answer", "accepted_answers", "passage", "questions")
REQUIRED_FACT_KEYS = ("slug", "claim", "answer", "passage")
QUESTION_KEYS = (
    "slug",
    "category",
    "kind",
    "prompt",
    "answer",
    "choices",
    "explanation",
    "passage",
    "active",
)
# A typed question leaves its answer out: it is its fact's.
REQUIRED_QUESTION_KEYS = ("slug", "category", "kind", "prompt", "explanation", "passage")


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
    found = passage_occurrences(passage)
    if not found:
        return ["is not a verbatim span of the article body (copy it character for character)"]
    if found > 1:
        # It would be placed at its first place, which may not be the one meant: the card's
        # back and the article map would point at another sentence.
        return [
            "occurs more than once in the article body; quote more of its sentence so that it "
            "names one place"
        ]
    return []


def _text_problems(entry: dict[str, Any], field: str) -> list[str]:
    value = entry.get(field)
    if value is None:
        return ["is missing"]
    if not isinstance(value, str):
        return ["must be text"]
    if not value.strip():
        return ["is empty"]
    if invisible := shown_problems(value):
        return invisible
    limit = MAX_LENGTHS.get(field)
    if limit and len(value) > limit:
        return [f"is longer than {limit} characters"]
    return []


def question_problems(question: Any, category_slugs: set[str], label: str) -> list[Problem]:
    """Check one question entry of a bank file (`label` names it when it has no slug)."""
    if not isinstance(question, dict):
        return [Problem(label, "(entry)", "must be an object")]
    slug = question.get("slug") if isinstance(question.get("slug"), str) else ""
    name = slug or label
    problems = [
        Problem(name, key, "is not a known field") for key in question if key not in QUESTION_KEYS
    ]
    kind = question.get("kind")
    required: tuple[str, ...] = REQUIRED_QUESTION_KEYS
    if kind != QuestionKind.TYPED or "answer" in question:
        required = (*required, "answer")
    for field in required:
        problems += [Problem(name, field, m) for m in _text_problems(question, field)]
    if slug:
        problems += [Problem(name, "slug", m) for m in slug_problems(slug)]
    problems += _storable(name, question)
    if isinstance(question.get("category"), str) and question["category"] not in category_slugs:
        problems.append(
            Problem(name, "category", f'"{question["category"]}" is not a category of this file')
        )
    if isinstance(kind, str) and kind not in KINDS:
        problems.append(Problem(name, "kind", f'"{kind}" is not one of {", ".join(KINDS)}'))
    if "active" in question and not isinstance(question["active"], bool):
        problems.append(Problem(name, "active", "must be true or false"))

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
    answer = question.get("answer", "")
    if kind in KINDS and isinstance(answer, str) and isinstance(choices, list):
        problems += [Problem(name, "choices", m) for m in choice_problems(kind, answer, pairs)]
    if isinstance(question.get("passage"), str) and question["passage"].strip():
        problems += [Problem(name, "passage", m) for m in passage_problems(question["passage"])]
    if kind == QuestionKind.CLOZE:
        problems += _cloze_entry_problems(question, name)
    elif isinstance(question.get("prompt"), str):
        problems += [Problem(name, "prompt", m) for m in marker_problems(question["prompt"])]
    return problems


def _cloze_entry_problems(question: dict[str, Any], name: str) -> list[Problem]:
    """A cloze's marker, answer and passage against each other and the article."""
    if not all(isinstance(question.get(field), str) for field in CLOZE_FIELDS):
        return []  # already reported as missing or not text
    found = cloze_field_problems(question["prompt"], question["answer"], question["passage"])
    return [Problem(name, problem.field, problem.message) for problem in found]


def as_sentence(problem: str) -> str:
    """A rule's problem ("is not a verbatim span …") as a sentence of its own, for a message."""
    return problem[0].upper() + problem[1:] + "."


def accepted_problems(accepted: Any) -> list[str]:
    """A fact's accepted forms: a list of non-empty texts, none too long."""
    if not isinstance(accepted, list) or not all(
        isinstance(a, str) and a.strip() for a in accepted
    ):
        return ["must be a list of non-empty texts"]
    longest = MAX_LENGTHS["accepted_answer"]
    problems = [
        f'the accepted answer "{a[:40]}…" is longer than {longest} characters'
        for a in accepted
        if len(a) > longest
    ]
    problems += [
        f"accepted answer number {number} {problem}"
        for number, form in enumerate(accepted, start=1)
        for problem in shown_problems(form)
    ]
    if len(accepted) > MAX_ACCEPTED_ANSWERS:
        problems.append(
            f"a fact has at most {MAX_ACCEPTED_ANSWERS} accepted answers, not {len(accepted)}"
        )
    seen: set[str] = set()
    for form in accepted:
        key = " ".join(form.split())
        if key in seen:
            problems.append(f'the accepted answer "{form[:60]}" is given twice')
        seen.add(key)
    return problems


def fact_answer_problems(
    kind: str, answer: str, *, fact_answer: str, accepted: list[str]
) -> list[str]:
    """A typed or cloze card's answer against its fact: a typed card shows the fact's answer, and
    a cloze's blanked words must be graded right by the fact's forms (the twins accept alike)."""
    if kind == QuestionKind.TYPED and answer != fact_answer:
        return [
            f"a typed question's answer is its fact's (\"{fact_answer}\"): leave it out, or "
            "write it exactly so"
        ]
    if (
        kind == QuestionKind.CLOZE
        and not grade(answer, answer=fact_answer, accepted=accepted).correct
    ):
        return [
            f'"{answer}" is not graded right by its fact\'s answer and accepted forms: '
            "add it to the fact's accepted_answers"
        ]
    return []


def fact_problems(fact: Any, category_slugs: set[str], index: int) -> list[Problem]:
    """Check one fact entry of a bank file and the questions it holds."""
    if not isinstance(fact, dict):
        return [Problem(f"(fact {index + 1})", "(entry)", "must be an object")]
    slug = fact.get("slug") if isinstance(fact.get("slug"), str) else ""
    name = slug or f"(fact {index + 1})"
    problems = [Problem(name, key, "is not a known field") for key in fact if key not in FACT_KEYS]
    for field in REQUIRED_FACT_KEYS:
        problems += [Problem(name, field, m) for m in _text_problems(fact, field)]
    if slug:
        problems += [Problem(name, "slug", m) for m in slug_problems(slug)]
    problems += _storable(name, {k: v for k, v in fact.items() if k != "questions"})
    accepted = fact.get("accepted_answers", [])
    found = accepted_problems(accepted)
    problems += [Problem(name, "accepted_answers", m) for m in found]
    if isinstance(fact.get("passage"), str) and fact["passage"].strip():
        problems += [Problem(name, "passage", m) for m in passage_problems(fact["passage"])]
    questions = fact.get("questions")
    if not isinstance(questions, list):
        return [*problems, Problem(name, "questions", "must be a list of questions")]
    if not questions:
        problems.append(Problem(name, "questions", "a fact has at least one question"))
    fact_answer = fact.get("answer")
    for number, question in enumerate(questions, start=1):
        found_in_question = question_problems(
            question, category_slugs, f"({name} question {number})"
        )
        problems += found_in_question
        if found_in_question or found or not isinstance(fact_answer, str) or not fact_answer:
            continue  # the question's or the fact's own errors come first
        kind, answer = question["kind"], question.get("answer", fact_answer)
        problems += [
            Problem(question["slug"], "answer", m)
            for m in fact_answer_problems(kind, answer, fact_answer=fact_answer, accepted=accepted)
        ]
        if kind == QuestionKind.MULTIPLE_CHOICE:
            choices = question.get("choices", [])
            wrong = [c["text"] for c in choices if not c["correct"]]
            right = [c["text"] for c in choices if c["correct"]] + [fact_answer, *accepted]
            problems += [
                Problem(question["slug"], "choices", wrong_choice_right(choice, form))
                for choice, form in wrong_choices_right(wrong, right)
            ]
    return problems


def wrong_choice_right(choice: str, form: str) -> str:
    """What the loader and the admin say of a wrong choice that is a right answer written another
    way (choices.wrong_choices_right)."""
    same = " ".join(choice.split()).casefold() == " ".join(form.split()).casefold()
    what = "" if same else f' written another way, "{choice}" (the grader takes one for the other)'
    return (
        f'the right answer "{form}" is a wrong choice of a multiple-choice card of the fact{what}:'
        " a learner who picks it would be told the article is wrong. Give the card a wrong choice"
        " of its own, or leave the form out of the fact's accepted answers"
    )


def _category_problems(categories: list[Any]) -> tuple[list[Problem], set[str]]:
    problems: list[Problem] = []
    category_slugs: set[str] = set()
    for index, category in enumerate(categories):
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
        elif invisible := shown_problems(category["name"]):
            problems += [Problem(slug, "name", problem) for problem in invisible]
        elif len(category["name"]) > MAX_LENGTHS["category_name"]:
            limit = MAX_LENGTHS["category_name"]
            problems.append(Problem(slug, "name", f"is longer than {limit} characters"))
        if not isinstance(category.get("description", ""), str):
            problems.append(Problem(slug, "description", "must be text"))
        problems += [
            Problem(slug, k, "is not a known field") for k in category if k not in CATEGORY_KEYS
        ]
    return problems, category_slugs


def _slug(entry: Any) -> str | None:
    slug = entry.get("slug") if isinstance(entry, dict) else None
    return slug if isinstance(slug, str) else None


def bank_problems(data: Any) -> list[Problem]:
    """Check a whole parsed bank file: structure, categories, every fact and its questions, and
    slugs unique among facts and among questions."""
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        return [Problem("(file)", "(structure)", STRUCTURE)]
    if not isinstance(data.get("facts"), list):
        if isinstance(data.get("questions"), list):
            return [Problem("(file)", "(structure)", OLD_FORMAT)]
        return [Problem("(file)", "(structure)", STRUCTURE)]
    problems, category_slugs = _category_problems(data["categories"])
    problems += [
        Problem("(file)", key, "is not a known field") for key in data if key not in FILE_KEYS
    ]
    for index, question in enumerate(data.get("questions") or []):
        name = _slug(question) or f"(question {index + 1})"
        problems.append(Problem(name, "fact", NO_FACT))
    fact_slugs: set[str] = set()
    question_slugs: set[str] = set()
    for index, fact in enumerate(data["facts"]):
        problems += fact_problems(fact, category_slugs, index)
        slug = _slug(fact)
        if slug is not None:
            if slug in fact_slugs:
                problems.append(Problem(slug, "slug", "is used by more than one fact"))
            fact_slugs.add(slug)
        questions = fact.get("questions") if isinstance(fact, dict) else None
        for question in questions if isinstance(questions, list) else []:
            slug = _slug(question)
            if slug is not None:
                if slug in question_slugs:
                    problems.append(Problem(slug, "slug", "is used by more than one question"))
                question_slugs.add(slug)
    return problems


FILE_KEYS = ("categories", "facts")
STRUCTURE = 'must be an object with "categories" and "facts" lists'
OLD_FORMAT = (
    'lists "questions" outside any fact (the old flat format): group every question under a '
    'fact, in the "questions" list of an entry of "facts"'
)
NO_FACT = 'is a question with no fact: move it into the "questions" list of the fact it tests'


def bank_questions(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every question of a checked bank in bank order, read flat: each entry also names its "fact",
    a typed question has its fact's answer, and a typed or cloze question has its fact's answer
    and accepted forms as its "accepted_answers" (what it is graded by; none for the others)."""
    flat = []
    for fact in data["facts"]:
        forms = list(dict.fromkeys([fact["answer"], *fact.get("accepted_answers", [])]))
        for question in fact["questions"]:
            entry = {**question, "fact": fact["slug"]}
            entry.setdefault("answer", fact["answer"])
            entry["accepted_answers"] = forms if question["kind"] in TYPED_KINDS else []
            flat.append(entry)
    return flat
