"""A quiz answer as it is stored, and whether it answers the question as the page showed it."""

import enum
from dataclasses import dataclass

from django.utils.crypto import salted_hmac

from quizzes.bank.cache import QuestionData
from quizzes.rules.grading import response_grade


@dataclass(frozen=True)
class StoredAnswer:
    """One answer as it is stored: the text kept, the choice picked, and whether it is right."""

    text: str
    chosen_choice_id: int | None
    is_correct: bool
    verdict: bool | None  # the grader's: None when it could not tell


def answer_stored(question: QuestionData, response: str) -> StoredAnswer:
    graded = response_grade(question, response)
    chosen = graded.chosen
    return StoredAnswer(
        text=chosen.text if chosen else ("" if question.has_choices else response),
        chosen_choice_id=chosen.id if chosen else None,
        # In a quiz, no answer or an unknown choice counts as wrong.
        is_correct=bool(graded.correct),
        verdict=graded.correct,
    )


class Fit(enum.Enum):
    FITS = "fits"
    # An editor changed the question since the page showed it: the choice picked was deleted,
    # or the question took or lost its choices. Scored, the answer would be wrong for that alone.
    CHANGED = "changed"
    # A choice question answered with no choice it has or had: a forged form.
    NOT_A_CHOICE = "not_a_choice"


def answer_fit(question: QuestionData, shown: list[int], response: str) -> Fit:
    """Whether `response` answers `question` as it is now, given the choices (ids) its page
    showed: `shown`, fixed when the quiz started (none for a typed question or a cloze)."""
    picked_shown = response in {str(i) for i in shown}
    if question.has_choices:
        if response in {str(c.id) for c in question.choices}:
            return Fit.FITS
        return Fit.CHANGED if picked_shown or not shown else Fit.NOT_A_CHOICE
    return Fit.CHANGED if picked_shown else Fit.FITS


def question_version(question: QuestionData) -> str:
    """A short key of the question as a page shows it and grades it (its kind, prompt, answers,
    and choices with which is right), which the quiz page sends back with the answer: a
    different key when the answer comes means an editor changed the question meanwhile, and the
    answer is asked again rather than scored against what the learner never saw. Keyed with the
    site's secret, so the page's copy tells nothing of which choice is right."""
    shown = repr(
        (
            question.kind,
            question.prompt,
            question.answer,
            question.accepted_answers,
            tuple((c.id, c.text, c.is_correct) for c in question.choices),
        )
    )
    return salted_hmac("learnfrl.quiz.question-version", shown).hexdigest()[:24]
