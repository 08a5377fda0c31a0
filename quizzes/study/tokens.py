"""Signed card tokens: which card a learner was shown, when, and with which settings.

A study card travels between the front, the back and the rating as a token signed with the site's
secret (as django/contrib/auth/tokens.py signs password-reset links), so the server can trust what
the learner was shown without storing it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing

from quizzes.limits import MAX_CARD_TOKEN_LENGTH, RETENTION_MAX, RETENTION_MIN

CARD_TOKEN_SALT = "learnfrl.study.card"
CARD_TOKEN_MAX_AGE = 60 * 60 * 24  # a card left open for a day is shown afresh


class BadCard(Exception):
    """The request names a card the learner was not shown."""


class CardExpired(BadCard):
    """The learner was shown the card more than a day ago (`CARD_TOKEN_MAX_AGE`): it is shown
    afresh, in the study `scope` it was shown in."""

    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


@dataclass(frozen=True)
class CardToken:
    question_id: int
    reps: int
    shown_at: datetime
    scope: str
    retention: float
    # When the rating buttons' intervals were computed (the back of the card; the front's time
    # until then), and fingerprints of the FSRS parameters and of the card's values they were
    # computed from ("" before; the card's also "" in tokens made before it was carried).
    previewed_at: datetime | None = None
    parameters_key: str = ""
    card_key: str = ""


def card_token_make(
    *,
    user_id: int,
    question_id: int,
    reps: int,
    now: datetime,
    scope: str,
    retention: float,
    previewed_at: datetime | None = None,
    parameters_key: str = "",
    card_key: str = "",
) -> str:
    """Sign what the learner is shown: the card, its review count, the time, scope and retention;
    on the back, also when the intervals were previewed, with which parameters, for which card
    values."""
    # The desired retention travels with the card, so the intervals previewed on the buttons are
    # computed exactly as the rating will be, even if the settings change in between.
    payload: dict[str, object] = {
        "u": user_id,
        "q": question_id,
        "r": reps,
        "t": now.timestamp(),
        "s": scope,
        "d": retention,
    }
    if previewed_at is not None:
        payload["p"] = previewed_at.timestamp()
        payload["f"] = parameters_key
        payload["c"] = card_key
    return signing.dumps(payload, salt=CARD_TOKEN_SALT)


def card_token_read(token: str, *, user_id: int) -> CardToken:
    """Check that the token was issued by us, to this learner, recently; raise BadCard if not."""
    if not token or len(token) > MAX_CARD_TOKEN_LENGTH:
        raise BadCard
    try:
        data = signing.loads(token, salt=CARD_TOKEN_SALT, max_age=CARD_TOKEN_MAX_AGE)
        if data["u"] != user_id:
            raise BadCard
        shown_at = datetime.fromtimestamp(float(data["t"]), tz=UTC)
        retention = float(data["d"])
        if not RETENTION_MIN <= retention <= RETENTION_MAX:
            raise BadCard
        previewed_at = datetime.fromtimestamp(float(data["p"]), tz=UTC) if "p" in data else None
        return CardToken(
            question_id=int(data["q"]),
            reps=int(data["r"]),
            shown_at=shown_at,
            scope=str(data["s"]),
            retention=retention,
            previewed_at=previewed_at,
            parameters_key=str(data.get("f", "")),
            card_key=str(data.get("c", "")),
        )
    except signing.SignatureExpired:
        raise _expired(token, user_id=user_id) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadCard from None


def _expired(token: str, *, user_id: int) -> BadCard:
    """What a token signed by us but too old says: CardExpired with its scope, if it was this
    learner's; else BadCard."""
    try:
        data = signing.loads(token, salt=CARD_TOKEN_SALT)
    except signing.BadSignature:
        return BadCard()
    if not isinstance(data, dict) or data.get("u") != user_id:
        return BadCard()
    return CardExpired(str(data.get("s", "")))
