"""The frames of rules/answer_frames.py on the bank's own questions: what an outside review of
the first version found it let through stays wrong, and grading reads a framed answer a bounded
number of times, however the frames nest."""

import pytest

from quizzes.rules import grading
from tests.bank.test_phrasings import accepted

WRONG = [
    # A hedge citing someone the question does not say said so.
    (
        "organizations-ukrainian-intelligence-claim-cloze",
        "Ukrainian intelligence, according to the Legion",
    ),
    ("people-ponomarev-rvc-signed-cloze", "Ponomarev, according to the RVC"),
    ("people-ponomarev-rvc-signed-cloze", "according to the RVC, Ponomarev"),
    ("events-pow-capture-area-typed", "Lysychansk, according to the Russian POW"),
    ("organizations-fsb-arrest-typed", "FSB, according to the FRL"),
    ("dates-cross-border-raids-since-typed", "22 May 2023, according to Russia"),
    ("organizations-harpers-magazine-cloze", "Harper's Magazine, according to Ukraine"),
    ("people-company-commander-real-fascists-typed", "real fascists, according to Ukrainians"),
    ("people-caesar-several-hundred-members-typed", "several hundred, according to December"),
    # A name the question does not give, with the answer's initials.
    ("organizations-rt-one-video-typed", "RT (Russian troops)"),
    ("organizations-rt-one-video-typed", "RT (Russian tank)"),
    ("organizations-frl-abbreviation-typed", "FRL (flag of Russia the letter)"),
    # Doubt on what the article states flatly: a reporter, a report, state media hedge nothing.
    ("organizations-kyiv-independent-typed", "The Kyiv Independent, allegedly"),
    ("organizations-rt-one-video-typed", "RT (allegedly)"),
    # A blank takes no hedge: its sentence's may be of another clause.
    ("legal-fsb-arrest-drones-cloze", "drones reportedly"),
    ("dates-legion-formed-cloze", "March 2022 (reportedly)"),
    # "state" of "state media" reports nothing: no one said so there.
    ("organizations-rt-one-video-typed", "RT, according to the Russian"),
    # "be" in another tense than the question's.
    ("people-caesar-physiotherapist-typed", "He is a physiotherapist"),
]
RIGHT = [
    (
        "people-company-commander-real-fascists-typed",
        "real fascists, according to the company commander",
    ),
    ("dates-cross-border-raids-since-typed", "22 May 2023, according to the article"),
    ("people-caesar-several-hundred-members-typed", "several hundred (according to Caesar)"),
    ("people-caesar-physiotherapist-typed", "He was a physiotherapist"),
    ("organizations-frl-abbreviation-typed", "FRL (Freedom of Russia Legion)."),
]


def graded(slug: str, text: str) -> bool:
    return accepted({"slug": slug, "answer": text})


@pytest.mark.parametrize(("slug", "text"), WRONG)
def test_what_the_frames_let_through_before_stays_wrong(slug, text):
    assert not graded(slug, text)


@pytest.mark.parametrize(("slug", "text"), RIGHT)
def test_the_questions_own_source_and_tense_are_right(slug, text):
    assert graded(slug, text)


@pytest.mark.parametrize(
    "text",
    [
        "It was " * 8 + "bat tle " * 8 + "of Kyiv" + " reportedly" * 8,
        "It's " * 8 + "Ky iv " * 8 + "Moscow",
        "It's It's Ky iv Ky iv " + "a-" * 88,
        "twenty (²) battalions",
        "two (①) battalions",
    ],
)
def test_a_framed_answer_is_read_a_bounded_number_of_times(monkeypatch, text):
    """Each frame was tried on what every other left, so nested frames were read exponentially
    often (an outside review: 2.4 million readings of one 137-character answer); and "²" passed
    for a digit, then failed to be one (a 500)."""
    calls = []
    real = grading._graded

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(grading, "_graded", counted)
    assert not graded("events-bakhmut-typed", text)
    assert 1 <= len(calls) <= 8
