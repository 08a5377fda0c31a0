"""A question's choices against its kind and answer: the rule the loader and the admin share."""

from quizzes.enums import QuestionKind
from quizzes.limits import MAX_CHOICES, MAX_LENGTHS, MIN_CHOICES

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
    if len({t.strip().casefold() for t in texts}) != len(texts):
        problems.append("two choices have the same text")
    for text in texts:
        if not text.strip():
            problems.append("a choice is empty")
        elif len(text) > MAX_LENGTHS["choice"]:
            problems.append(f"a choice is longer than {MAX_LENGTHS['choice']} characters")
    return problems
