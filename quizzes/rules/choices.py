"""A question's choices against its kind and answer: the rule the loader and the admin share."""

from quizzes.enums import QuestionKind
from quizzes.limits import MAX_CHOICES, MAX_LENGTHS, MIN_CHOICES
from quizzes.rules.answer_dates import parse_date
from quizzes.rules.grading import normalise
from quizzes.rules.visible import shown_problems

TRUE_FALSE_CHOICES = ("True", "False")


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
    for earlier, later in same_texts(texts):
        problems.append(
            f"choices {earlier + 1} and {later + 1} have the same text, "
            + _quoted_twins(texts[earlier], texts[later])
        )
    for number, text in enumerate(texts, start=1):
        if not text.strip():
            problems.append("a choice is empty")
        elif invisible := shown_problems(text):
            problems += [f"choice {number} {problem}" for problem in invisible]
        elif len(text) > MAX_LENGTHS["choice"]:
            problems.append(f"a choice is longer than {MAX_LENGTHS['choice']} characters")
    return problems


def same_texts(texts: list[str]) -> list[tuple[int, int]]:
    """Each choice whose text an earlier one has (case and surrounding spaces aside), as the pair
    of their indexes: the first choice with that text, then this one."""
    first: dict[str, int] = {}
    twins = []
    for index, text in enumerate(texts):
        key = text.strip().casefold()
        if key in first:
            twins.append((first[key], index))
        else:
            first[key] = index
    return twins


def _quoted_twins(one: str, other: str) -> str:
    """Two choices' same text, quoted: once, or both where they differ in case or spaces."""
    if one == other:
        return f'"{one}"'
    return f'"{one}" and "{other}" (case and surrounding spaces aside)'


def same_answer(one: str, other: str) -> bool:
    """Whether two texts give one answer as the grader reads a typed one at its strictest: the
    same words (case, spacing, punctuation and a leading article aside) or the same date
    ("Mar 2022", "2022-03", "March 2022")."""
    if normalise(one) == normalise(other):
        return True
    one_date, other_date = parse_date(one), parse_date(other)
    return one_date is not None and one_date == other_date


def wrong_choices_right(wrong: list[str], right: list[str]) -> list[tuple[str, str]]:
    """Each (wrong choice, right form) pair that gives one answer: a multiple-choice question's
    wrong choice that is its right choice, or one of its fact's accepted forms, written another
    way. The learner who picks it would be told it is wrong, and the one who types it that it is
    right: one of the two is taught a falsehood."""
    forms = [form for form in right if form.strip()]
    return [(choice, form) for choice in wrong for form in forms if same_answer(choice, form)]
