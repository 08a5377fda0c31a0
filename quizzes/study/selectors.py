"""Reads of studying: the learner's settings, their card, and its back."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, NamedTuple, cast

from django.db import connection

from learnfrl.accounts.users import User
from quizzes.bank.cache import QuestionData
from quizzes.enums import Rating
from quizzes.models import CardState, StudyProfile
from quizzes.rules import scheduling
from quizzes.rules.compare import Compared, typed_compared
from quizzes.rules.days import day_start
from quizzes.rules.grading import Graded, response_grade
from quizzes.rules.scheduling import Schedule
from quizzes.statements import row_built, row_get, rows_fetched, select_list
from quizzes.study.queued import LearnerDay
from quizzes.study.tokens import CardToken


def study_profile(*, user: User) -> StudyProfile:
    """Return the learner's study settings, or the defaults (unsaved) if they never set any.

    The defaults are StudyProfile's own (from quizzes.limits); the study queue reads the same ones.
    Kept where `user.study_profile` keeps it, so it is read once a request (a caller that
    fetched it with select_related pays no query at all); the services that save the settings
    put the saved row there, so the rest of the request reads what was saved.
    """
    if not _PROFILE.is_cached(user):
        # The ORM's reverse one-to-one read, without its compiling (quizzes.statements).
        found = row_get(StudyProfile, user_id=user.pk) if user.pk is not None else None
        return study_profile_keep(user=user, found=found)
    profile = cast(StudyProfile | None, _PROFILE.get_cached_value(user))
    return profile if profile is not None else StudyProfile(user=user)


def learner_day(
    profile: StudyProfile, now: datetime, reviewed_today: int = 0, extra_new: int = 0
) -> LearnerDay:
    """The learner's settings (StudyProfile's defaults if they saved none) and today's count."""
    schedule = profile.schedule
    return LearnerDay(
        schedule=schedule,
        new_per_day=profile.new_per_day,
        max_reviews_per_day=profile.max_reviews_per_day,
        reviewed_today=reviewed_today,
        day_start=day_start(now, schedule.day),
        learn_ahead=timedelta(minutes=profile.learn_ahead_minutes),
        bury_siblings=profile.bury_siblings,
        extra_new=extra_new,
    )


def study_profile_read(*, user: Any) -> StudyProfile | None:
    """The learner's study settings if this request has read them already (study_profile), else
    None: it reads nothing."""
    if user is None or not user.is_authenticated or not _PROFILE.is_cached(user):
        return None
    return study_profile(user=user)


def study_profile_keep(*, user: User, found: StudyProfile | None) -> StudyProfile:
    """study_profile of settings read elsewhere (`found`, None if the learner saved none): kept
    where study_profile keeps them, for the rest of the request."""
    if found is not None:
        found.user = user
    _PROFILE.set_cached_value(user, found)
    return found if found is not None else StudyProfile(user=user)


# The learner's side of StudyProfile.user: where `user.study_profile` keeps what it read.
_PROFILE = StudyProfile._meta.get_field("user").remote_field


def card_state_for(*, user: User, question_id: int) -> CardState | None:
    return row_get(CardState, user_id=user.pk, question_id=question_id)


class CardRead(NamedTuple):
    """A learner's card for a question as it was read (None: they have no card for it yet)."""

    state: CardState | None


def settings_and_card_joins(user_id: str) -> tuple[str, str]:
    """The columns and the joins that read, beside a statement's own rows, the study settings
    of the learner whose id is the column `user_id` and their card for one question (the
    joins' one parameter); card_read_from_row reads them back."""
    quote = connection.ops.quote_name
    columns = f"{select_list(StudyProfile, 'p')}, {select_list(CardState, 'c')}"
    joins = (
        f"LEFT JOIN {quote(StudyProfile._meta.db_table)} p ON p.user_id = {user_id} "
        f"LEFT JOIN {quote(CardState._meta.db_table)} c "
        f"ON c.user_id = {user_id} AND c.question_id = %s"
    )
    return columns, joins


@cache
def _settings_and_card_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    user_id = f"u.{quote(User._meta.pk.column)}"
    columns, joins = settings_and_card_joins(user_id)
    return f"SELECT {columns} FROM {quote(User._meta.db_table)} u {joins} WHERE {user_id} = %s"


def card_read_from_row(*, user: User, row: Mapping[str, Any]) -> CardRead:
    """The card a row read through settings_and_card_joins holds; the settings it holds are
    kept where study_profile keeps them, so the rest of the request reads no more."""
    profile = row_built(StudyProfile, row, "p") if row["p__id"] is not None else None
    study_profile_keep(user=user, found=profile)
    return CardRead(row_built(CardState, row, "c") if row["c__id"] is not None else None)


def card_read_with_settings(*, user: User, question_id: int) -> CardRead:
    """The learner's card for the question and, if this request has not read them yet, their
    study settings (kept where study_profile keeps them), in one statement: a rating needs both,
    and on PostgreSQL every statement is a round trip and the server's work besides."""
    if _PROFILE.is_cached(user):
        return CardRead(card_state_for(user=user, question_id=question_id))
    rows = rows_fetched(_settings_and_card_sql(connection.vendor), [question_id, user.pk])
    if not rows:  # the account is gone: no settings, no card
        return CardRead(None)
    return card_read_from_row(user=user, row=rows[0])


@dataclass(frozen=True)
class RatingButton:
    """One rating on the back of a card, with the interval it will give."""

    rating: Rating
    interval: str
    suggested: bool

    @property
    def name(self) -> str:
        return self.rating.label

    @property
    def hint(self) -> str:
        return self.rating.hint

    @property
    def spoken(self) -> str:
        """The button's accessible name: its word and its interval, without the key hint."""
        return f"{self.name}, next in {scheduling.interval_words(self.interval)}"

    @property
    def title(self) -> str:
        # Hard is the rating learners misread as a fail: its button says it is a pass.
        return "Recalled, with effort — a pass, not a fail" if self.rating == Rating.HARD else ""


@dataclass(frozen=True)
class BackChoice:
    """One choice of a choice card, on its back: whether it is the right one, and the pick."""

    text: str
    is_right: bool
    is_picked: bool


@dataclass(frozen=True)
class CardBack:
    """The back of a card: the learner's response graded, and the four ratings to choose from."""

    graded: Graded
    buttons: list[RatingButton]
    # A leech the learner keeps studying (their setting only tags leeches): the back says so.
    is_leech: bool = False
    lapses: int = 0
    # A typed or cloze answer beside the form it was compared with (None: nothing typed).
    compared: Compared | None = None
    # The learner said "I was right" about a wrong typed answer: Good is suggested.
    claimed: bool = False
    # A choice card's choices in their order, the right one and the learner's pick marked
    # (empty for typed and cloze cards). Only the back carries which one is right.
    choices: tuple[BackChoice, ...] = ()
    # The fingerprint of the card values the buttons' intervals were previewed from.
    card_key: str = ""

    @property
    def can_claim(self) -> bool:
        """Whether "I was right" is offered: a typed or cloze answer graded wrong, not yet said."""
        return self.compared is not None and self.graded.correct is False and not self.claimed


def card_back(
    *,
    user: User,
    question: QuestionData,
    token: CardToken,
    response: str,
    now: datetime,
    schedule: Schedule,
    claimed: bool = False,
) -> CardBack | None:
    """Grade the response and preview each rating with the learner's schedule, aiming at the
    retention the card was shown with; None if the card was reviewed since it was shown (a
    second tab). `claimed`: the learner said a wrong typed answer was right (Good is suggested).
    """
    state = card_state_for(user=user, question_id=question.id)
    card = CardState.values_of(state)
    if card.reps != token.reps:
        return None
    intervals = scheduling.preview(
        card,
        now=now,
        schedule=schedule.with_retention(token.retention),
        seed=f"{user.pk}:{question.id}",
    )
    graded = response_grade(question, response)
    compared = (
        None
        if question.has_choices
        else typed_compared(
            response,
            answer=question.answer,
            accepted=question.accepted_answers,
            prompt=question.prompt,
        )
    )
    claimed = claimed and compared is not None and graded.correct is False
    # A wrong answer suggests Again, a right one Good (or a wrong one the learner says was
    # right); no attempt suggests nothing.
    suggested = (
        None
        if graded.correct is None
        else (Rating.GOOD if graded.correct or claimed else Rating.AGAIN)
    )
    buttons = [
        RatingButton(
            rating=rating,
            interval=scheduling.interval_label(intervals[rating]),
            suggested=rating == suggested,
        )
        for rating in Rating
    ]
    return CardBack(
        graded=graded,
        buttons=buttons,
        is_leech=state is not None and state.is_leech,
        lapses=card.lapses,
        compared=compared,
        claimed=claimed,
        choices=tuple(
            BackChoice(
                text=choice.text,
                is_right=choice.is_correct,
                is_picked=graded.chosen is not None and graded.chosen.id == choice.id,
            )
            for choice in question.choices
        ),
        card_key=scheduling.card_key(card),
    )
