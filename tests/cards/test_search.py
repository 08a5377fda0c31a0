"""The cards page's search finds exactly the cards a query of the database finds for the same
condition: one test per term, each against its own query."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Q
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from quizzes.bank.cache import bank_current
from quizzes.enums import HoldKind, MemoryState, QuestionKind
from quizzes.models import CardHold, CardState, Question, ReviewLog
from quizzes.rules import scheduling
from quizzes.rules.days import day_of
from tests.factories import (
    CardHoldFactory,
    CardStateFactory,
    CategoryFactory,
    QuestionFactory,
    ReviewLogFactory,
)
from tests.helpers import HX
from tests.support.schedules import DEFAULT_SCHEDULE, UTC_DAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def cards(user):
    """Twelve questions of every kind in two categories, and cards in every state and hold."""
    dates = CategoryFactory(slug="dates", name="Dates")
    people = CategoryFactory(slug="people", name="People")
    q = [
        QuestionFactory(category=dates, prompt="When was the Legion formed?"),
        QuestionFactory(category=dates, prompt="When did the raid into Belgorod begin?"),
        QuestionFactory(category=people, prompt="Who spoke for the Legion in Kyiv?"),
        QuestionFactory(category=people, multiple_choice=True, prompt="Who leads the Legion?"),
        QuestionFactory(category=people, true_false=True, prompt="The Legion fights for Russia?"),
        QuestionFactory(category=dates, cloze=True),
        QuestionFactory(category=dates, prompt="When did the Legion raid Tyotkino?"),
        QuestionFactory(category=people, prompt="Who is the political representative?"),
        QuestionFactory(category=dates, prompt="When was the first video published?"),
        QuestionFactory(category=people, prompt="Who joined from Russia's army?"),
        QuestionFactory(category=dates, prompt="When did the Legion say it was formed?"),
        QuestionFactory(category=people, prompt="Never studied: who trains them?"),
    ]
    review = {"now": NOW, "user": user}
    # Review cards, due from two days ago to in forty days, intervals from 1 to 60 days.
    CardStateFactory(
        **review, question=q[0], due=NOW - timedelta(days=2), last_review=NOW - timedelta(days=12)
    )
    CardStateFactory(
        **review,
        question=q[1],
        due=NOW + timedelta(hours=3),
        last_review=NOW - timedelta(days=1, hours=21),
    )
    CardStateFactory(
        **review,
        question=q[2],
        due=NOW + timedelta(days=40),
        last_review=NOW - timedelta(days=20),
        stability=50,
    )
    CardStateFactory(
        **review,
        question=q[3],
        due=NOW - timedelta(minutes=5),
        last_review=NOW - timedelta(days=3),
        stability=2.0,
    )
    # Learning and relearning cards, due in minutes.
    CardStateFactory(
        **review,
        question=q[4],
        learning=True,
        due=NOW + timedelta(minutes=10),
        last_review=NOW - timedelta(minutes=1),
    )
    CardStateFactory(
        **review,
        question=q[5],
        lapsed=True,
        due=NOW - timedelta(minutes=1),
        last_review=NOW - timedelta(minutes=11),
    )
    # A leech, suspended; a card buried until tomorrow; a bury that has ended.
    CardStateFactory(
        **review,
        question=q[6],
        leech=True,
        due=NOW - timedelta(days=1),
        last_review=NOW - timedelta(days=4),
        stability=1.0,
    )
    CardStateFactory(
        **review, question=q[7], due=NOW - timedelta(hours=1), last_review=NOW - timedelta(days=6)
    )
    CardStateFactory(
        **review,
        question=q[8],
        due=NOW + timedelta(days=1),
        last_review=NOW - timedelta(days=9),
        stability=4.0,
    )
    CardHoldFactory(user=user, question=q[6])
    CardHoldFactory(user=user, question=q[7], buried=True)
    CardHoldFactory(user=user, question=q[8], kind=HoldKind.BURY, until=NOW - timedelta(hours=2))
    CardHoldFactory(user=user, question=q[11])  # a new card, suspended
    # Ratings: today, late yesterday, three days ago, long ago.
    for question, when in [
        (q[0], NOW - timedelta(hours=5)),  # 05:00 today
        (q[1], NOW - timedelta(hours=6, minutes=30)),  # 03:30: yesterday, the day starts at 4
        (q[2], NOW - timedelta(days=3)),
        (q[3], NOW - timedelta(days=30)),
        (q[4], NOW - timedelta(minutes=1)),
    ]:
        ReviewLogFactory(user=user, question=question, reviewed_at=when)
    # Another learner's cards and ratings never count.
    other = CardStateFactory(now=NOW, question=q[9], due=NOW - timedelta(days=3))
    ReviewLogFactory(user=other.user, question=q[9], reviewed_at=NOW)
    return q


def found(client, search: str, **params) -> set[int]:
    response = client.get(reverse("quizzes:cards"), {"q": search, **params})
    assert response.status_code == 200
    assert not response.context["form"].errors, response.context["form"].errors
    return {row.question.id for row in response.context["cards_page"].paginator.object_list}


def every() -> set[int]:
    return set(Question.objects.filter(is_active=True).values_list("id", flat=True))


def mine(user):
    return CardState.objects.filter(user=user)


def held_now(user):
    return CardHold.objects.filter(user=user).filter(Q(until__isnull=True) | Q(until__gt=NOW))


def ids(rows) -> set[int]:
    return set(rows.values_list("question_id", flat=True))


def test_is_due_is_a_card_due_now_and_not_held(learner_client, user, cards):
    expected = ids(mine(user).filter(due__lte=NOW)) - ids(held_now(user))
    assert found(learner_client, "is:due") == expected
    assert expected == {cards[0].pk, cards[3].pk, cards[5].pk}


def test_is_new_is_a_card_never_reviewed(learner_client, user, cards):
    expected = every() - ids(mine(user))
    assert found(learner_client, "is:new") == expected
    assert cards[9].pk in expected  # another learner's card is this learner's new one


def test_is_learn_is_learning_or_relearning(learner_client, user, cards):
    states = [MemoryState.LEARNING, MemoryState.RELEARNING]
    assert found(learner_client, "is:learn") == ids(mine(user).filter(state__in=states))


def test_is_review_is_review_or_relearning_as_in_anki(learner_client, user, cards):
    states = [MemoryState.REVIEW, MemoryState.RELEARNING]
    assert found(learner_client, "is:review") == ids(mine(user).filter(state__in=states))


def test_is_suspended_and_is_buried_are_the_holds_in_effect(learner_client, user, cards):
    suspended = held_now(user).filter(kind=HoldKind.SUSPEND)
    assert found(learner_client, "is:suspended") == ids(suspended)
    buried = held_now(user).filter(kind=HoldKind.BURY)
    assert found(learner_client, "is:buried") == ids(buried) == {cards[7].pk}


def test_is_leech_is_a_card_tagged_leech(learner_client, user, cards):
    assert found(learner_client, "is:leech") == ids(mine(user).filter(is_leech=True))


@pytest.mark.parametrize("days", [1, 2, 4, 365])
def test_rated_n_is_rated_in_the_learners_last_n_days(learner_client, user, cards, days):
    first_day = day_of(NOW, UTC_DAY) - timedelta(days=days - 1)
    logs = ReviewLog.objects.filter(user=user)
    expected = {log.question_id for log in logs if day_of(log.reviewed_at, UTC_DAY) >= first_day}
    assert found(learner_client, f"rated:{days}") == expected
    if days == 1:  # today only: not 03:30, before the learner's day began
        assert expected == {cards[0].pk, cards[4].pk}


@pytest.mark.parametrize(
    ("operator", "days"), [(">", 5), ("<", 2), (">=", 12), ("<=", 0), ("=", 3)]
)
def test_prop_ivl_compares_the_interval_in_days(learner_client, user, cards, operator, days):
    compare = {
        ">": lambda n: n > days,
        "<": lambda n: n < days,
        ">=": lambda n: n >= days,
        "<=": lambda n: n <= days,
        "=": lambda n: n == days,
    }[operator]
    expected = {
        c.question_id
        for c in mine(user)
        if compare(round((c.due - c.last_review).total_seconds() / 86400))
    }
    assert found(learner_client, f"prop:ivl{operator}{days}") == expected
    assert expected


def test_a_card_due_before_its_last_review_has_an_interval_of_0_days(learner_client, user, cards):
    """Set due date can move a card before its last review: its interval read -3 days on its page
    and in prop:ivl, while the statistics counted it 0 (Anki's ivl is never negative)."""
    card = mine(user).get(question=cards[0])
    card.due = card.last_review - timedelta(days=3)
    card.save(update_fields=["due"])
    assert card.question_id in found(learner_client, "prop:ivl=0")
    url = reverse("quizzes:card_detail", args=[card.question_id])
    row = learner_client.get(url).context["row"]
    assert row.interval_days == 0


@pytest.mark.parametrize(
    ("operator", "days"), [("<", 0), ("=", 0), (">", 0), ("<=", -2), (">=", 1)]
)
def test_prop_due_compares_days_from_today_negative_overdue(
    learner_client, user, cards, operator, days
):
    today = day_of(NOW, UTC_DAY)
    compare = {
        "<": lambda n: n < days,
        "=": lambda n: n == days,
        ">": lambda n: n > days,
        "<=": lambda n: n <= days,
        ">=": lambda n: n >= days,
    }[operator]
    expected = {c.question_id for c in mine(user) if compare((day_of(c.due, UTC_DAY) - today).days)}
    assert found(learner_client, f"prop:due{operator}{days}") == expected
    assert expected


@pytest.mark.parametrize("limit", [0.5, 0.8, 0.95])
def test_prop_r_is_recall_now_by_the_learners_schedule(learner_client, user, cards, limit):
    expected = {
        c.question_id
        for c in mine(user)
        if scheduling.retrievability(c.values(), now=NOW, schedule=DEFAULT_SCHEDULE) < limit
    }
    assert found(learner_client, f"prop:r<{limit}") == expected


def test_cat_is_the_questions_category(learner_client, cards):
    expected = set(Question.objects.filter(category__slug="people").values_list("id", flat=True))
    assert found(learner_client, "cat:people") == expected


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("cloze", QuestionKind.CLOZE),
        ("typed", QuestionKind.TYPED),
        ("mc", QuestionKind.MULTIPLE_CHOICE),
        ("multiple_choice", QuestionKind.MULTIPLE_CHOICE),
        ("tf", QuestionKind.TRUE_FALSE),
        ("true_false", QuestionKind.TRUE_FALSE),
    ],
)
def test_kind_is_the_questions_kind(learner_client, cards, name, kind):
    expected = set(Question.objects.filter(kind=kind).values_list("id", flat=True))
    assert found(learner_client, f"kind:{name}") == expected
    assert expected


def test_words_and_phrases_are_in_the_prompt(learner_client, cards):
    prompts = {q.pk: bank_current().questions[q.pk].display_prompt.casefold() for q in cards}
    assert found(learner_client, "legion WHEN") == {
        pk for pk, p in prompts.items() if "legion" in p and "when" in p
    }
    assert found(learner_client, '"the legion"') == {
        pk for pk, p in prompts.items() if "the legion" in p
    }


def test_a_minus_excludes_and_terms_combine_with_and(learner_client, user, cards):
    review_states = [MemoryState.REVIEW, MemoryState.RELEARNING]
    reviews = ids(mine(user).filter(state__in=review_states))
    assert found(learner_client, "-is:new") == ids(mine(user))
    assert found(learner_client, "-legion") == every() - found(learner_client, "legion")
    people = set(Question.objects.filter(category__slug="people").values_list("id", flat=True))
    assert found(learner_client, "is:review cat:people -is:suspended") == (reviews & people) - ids(
        held_now(user).filter(kind=HoldKind.SUSPEND)
    )
    assert found(learner_client, "is:due", category="people") == {cards[3].pk}


@pytest.mark.parametrize(
    ("search", "says"),
    [
        ("is:fresh", "“is:fresh” is not a search term"),
        ("cat:nowhere", "There is no category “nowhere”"),
        ("prop:ivl>x", "not a property search"),
        ('"open', "not closed"),
        ("deck:x", "not a search term"),
    ],
)
def test_an_unknown_or_malformed_term_is_a_message_beside_the_box_not_a_400(
    learner_client, cards, search, says
):
    response = learner_client.get(reverse("quizzes:cards"), {"q": search})
    assert response.status_code == 200
    assert says in response.context["form"].errors["q"][0]
    html = response.content.decode()
    assert escape(says) in html
    assert f'value="{escape(search)}"' in html  # what was typed stays, to be mended
    assert response.context["total"] == 0
    # htmx swaps in the results, which say it too.
    partial = learner_client.get(reverse("quizzes:cards"), {"q": search}, headers=HX)
    assert 'role="alert"' in partial.content.decode()


def test_due_shows_the_time_when_it_is_today_and_the_date_otherwise(learner_client, cards):
    response = learner_client.get(reverse("quizzes:cards"))
    rows = {row.question.id: row for row in response.context["cards_page"]}
    assert rows[cards[1].pk].due_is_today  # in three hours
    assert not rows[cards[0].pk].due_is_today  # two days ago
    html = response.content.decode()
    assert "today 13:00" in html
    assert "28 Feb 2026" in html


def test_a_search_stays_within_the_query_budget(
    learner_client, cards, django_assert_max_num_queries
):
    bank_current()
    with override_settings(BANK_CACHE_SECONDS=3600):
        # One more than the search's own: the key of the rendered rows (quizzes/progress/figures).
        with django_assert_max_num_queries(5):
            found(learner_client, "is:review -kind:cloze prop:r<0.9 prop:ivl>1")
        with django_assert_max_num_queries(6):
            found(learner_client, "rated:7 -is:suspended")


def test_all_matching_cards_are_suspended_by_searching_again_on_the_server(
    learner_client, user, cards
):
    matching = found(learner_client, "cat:dates is:review")
    assert len(matching) > 1
    response = learner_client.post(
        reverse("quizzes:cards_bulk"),
        # The ticked card is outside the search: "all matching" is the server's search alone.
        {"action": "suspend", "all_matches": "1", "q": "cat:dates is:review", "card": cards[2].pk},
    )
    assert response.status_code == 302
    suspended = ids(held_now(user).filter(kind=HoldKind.SUSPEND))
    assert matching <= suspended
    assert cards[2].pk not in suspended


def test_all_matches_with_a_search_the_server_cannot_read_is_a_400_that_changes_nothing(
    learner_client, user, cards
):
    before = ids(held_now(user))
    response = learner_client.post(
        reverse("quizzes:cards_bulk"), {"action": "suspend", "all_matches": "1", "q": "is:x"}
    )
    assert response.status_code == 400
    assert ids(held_now(user)) == before


def test_the_page_offers_all_n_matching_cards_with_the_search_to_repeat(learner_client, cards):
    response = learner_client.get(reverse("quizzes:cards"), {"q": "cat:people", "state": "review"})
    html = response.content.decode()
    total = response.context["total"]
    assert f"All {total} matching cards" in html
    assert response.context["match_filters"] == [("state", "review"), ("q", "cat:people")]
    assert '<input type="hidden" name="q" value="cat:people">' in html
    assert "data-pick-page" in html  # shown by cards.js


def test_is_due_finds_a_card_the_moment_it_comes_due(learner_client, user, frozen):
    """The rows are cached while nothing of the learner's changes; a card coming due is such a
    change (an outside audit found `is:due` up to five minutes late)."""
    question = QuestionFactory.create()
    CardStateFactory.create(
        user=user,
        question=question,
        state=MemoryState.LEARNING,
        step=1,
        stability=0.5,
        due=NOW + timedelta(minutes=1),
        now=NOW,
    )
    assert found(learner_client, "is:due") == set()
    frozen.shift(timedelta(seconds=61))  # within the same five-minute slot
    assert found(learner_client, "is:due") == {question.id}


def test_a_card_due_already_today_says_now_not_a_time_to_come(learner_client, cards, frozen):
    """Before the day's start hour (4:00), the learner's today began yesterday: a card due at its
    start read "today, 04:00", which the study page used for the coming 04:00 (an outside
    tester). A card due already says "now", and its page gives the whole date."""
    card = cards[1]
    state = CardState.objects.get(question=card)
    start = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
    CardState.objects.filter(pk=state.pk).update(due=start)
    frozen.move_to(datetime(2026, 3, 3, 2, 36, tzinfo=UTC))  # still the learner's 2 March
    response = learner_client.get(reverse("quizzes:cards"))
    rows = {row.question.id: row for row in response.context["cards_page"]}
    assert rows[card.pk].due_now
    assert rows[card.pk].due_is_today
    assert ">now</time>" in response.content.decode()
    page = learner_client.get(reverse("quizzes:card_detail", args=[card.pk])).content.decode()
    assert "now (due since 2 March 2026, 04:00)" in page
    assert "today, 04:00" not in page
