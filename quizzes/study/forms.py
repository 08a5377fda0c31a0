"""What study requests carry: the card shown (a signed token), the response, a rating, a hold."""

from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.http import Http404

from learnfrl.forms import FirstErrorFocused, whole_number_field
from quizzes import limits
from quizzes.bank.selectors import category_choices
from quizzes.enums import HoldKind, Rating
from quizzes.study.notices import CARD_SHOWN_AFRESH, CARD_WITHDRAWN
from quizzes.study.tokens import BadCard, CardExpired, CardToken, card_token_read
from quizzes.web import RequestForm, enum_field, response_field

CARD_NOT_SHOWN = "This card was not shown to you. Reload the study page."


CHOOSE_A_RATING = "Choose a rating: Again, Hard, Good or Easy."


class CardShownAfresh(BadRequest):
    """A card shown more than a day ago, in the study `scope`. The study views show it afresh;
    anywhere else it is a 400 saying so (a BadRequest: never a 500 where no view expects it)."""

    notice = CARD_SHOWN_AFRESH

    def __init__(self, scope: str) -> None:
        super().__init__(CARD_SHOWN_AFRESH)
        self.scope = scope


class CardWithdrawn(Http404):
    """The card shown, in the study `scope`, was withdrawn since (an editor deactivated or
    deleted its question). The study views show the next card, saying so, where a 404 was put
    in the card's place; anywhere else it is a 404."""

    notice = CARD_WITHDRAWN

    def __init__(self, scope: str) -> None:
        super().__init__("This question is not in the bank any more.")
        self.scope = scope


class CardTokenForm(RequestForm):
    """A request about the card the learner was shown, named by its signed token."""

    token = forms.CharField(
        max_length=limits.MAX_CARD_TOKEN_LENGTH,
        error_messages={"required": CARD_NOT_SHOWN, "max_length": CARD_NOT_SHOWN},
    )

    def __init__(self, data: Any, *, user_id: int) -> None:
        super().__init__(data)
        self.user_id = user_id
        self.expired_scope: str | None = None

    def clean_token(self) -> CardToken:
        try:
            return card_token_read(self.cleaned_data["token"], user_id=self.user_id)
        except CardExpired as expired:
            self.expired_scope = expired.scope
            raise forms.ValidationError(CARD_SHOWN_AFRESH, code="card_expired") from None
        except BadCard:
            raise forms.ValidationError(CARD_NOT_SHOWN, code="card_not_shown") from None

    def cleaned_or_bad_request(self) -> dict[str, Any]:
        """The cleaned data; CardShownAfresh for a card shown more than a day ago, BadRequest for
        anything else wrong."""
        if not self.is_valid() and self.expired_scope is not None:
            raise CardShownAfresh(self.expired_scope)
        return super().cleaned_or_bad_request()


class CardAnswerForm(CardTokenForm):
    """Show the answer: the card, and what the learner picked or typed (optional)."""

    response = response_field()
    # Posted again from the back by a report without JavaScript (a 307): the learner had said
    # "I was right", and the back shown again says so still.
    claimed = forms.BooleanField(required=False)


class RatingForm(CardTokenForm):
    """Rate the card: Again, Hard, Good or Easy (with the response, to show the back again)."""

    response = response_field()

    rating = enum_field(Rating, message=CHOOSE_A_RATING, coerce=lambda value: Rating(int(value)))
    # The learner said "I was right" on the back: shown again, the back still suggests Good.
    claimed = forms.BooleanField(required=False)


class ClaimForm(CardAnswerForm):
    """ "I was right": the card, and the typed answer the grader refused."""


class UndoForm(RequestForm):
    """Take back the last rating; the scope says which study page to come back to."""

    scope = forms.CharField(required=False)

    def clean_scope(self) -> str:
        scope: str = self.cleaned_data["scope"]
        return scope[:100]


CHOOSE_BURY_OR_SUSPEND = "Choose to bury or to suspend the card."


class HoldForm(CardTokenForm):
    """Bury or suspend the card the learner was shown."""

    action = enum_field(HoldKind, message=CHOOSE_BURY_OR_SUSPEND)


class MoreNewCardsForm(FirstErrorFocused):
    """Custom study: add new cards to today's limit, for every category or one."""

    count = whole_number_field(
        label="How many more new cards",
        low=1,
        high=limits.EXTRA_NEW_MAX,
        message=(
            "The number of new cards to add must be a whole number from 1 to "
            f"{limits.EXTRA_NEW_MAX}."
        ),
        required_message="Say how many more new cards you want today.",
        help_text=f"From 1 to {limits.EXTRA_NEW_MAX}, for today only.",
    )
    scope = forms.ChoiceField(
        label="From",
        required=False,
        choices=category_choices,
        error_messages={"invalid_choice": "Choose a category from the list, or all of them."},
    )


class ReviewAheadForm(FirstErrorFocused):
    """Custom study: review now the cards due in the next few days."""

    days = whole_number_field(
        label="Cards due in the next (days)",
        low=1,
        high=limits.REVIEW_AHEAD_DAYS_MAX,
        message=(
            "The number of days to review ahead must be a whole number from 1 to "
            f"{limits.REVIEW_AHEAD_DAYS_MAX}."
        ),
        required_message="Say how many days ahead to review.",
        help_text=f"From 1 to {limits.REVIEW_AHEAD_DAYS_MAX}.",
    )
