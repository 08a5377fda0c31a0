"""How cards come under the study queue's three rules against giving an answer away: a new card
whose answer a card first studied today showed waits for the next day
(siblings.answers_shown_waiting); a new card still to come today whose answer the review due
next shows comes in its place (siblings.new_card_first); a card due now whose answer the card due
next shows comes first (siblings.answer_shown_first). A learner who studies every card the study
queue offers, rating each Good, 20 new cards a day, with none of the rules, the first, the first
two, all three, all three reading fronts alone, and all three without the second's guards for cards
due now.

    python -m bench.new_cards [--days 40] [--new-per-day 20]

A fresh SQLite file in /tmp holding the bundled bank. Each simulated day starts an hour after
the learner's day does; a card takes 20 seconds; a learning card due later that day is waited
for. Prints, for each run, the new cards whose answer a card shown earlier the same day had
shown (a card first studied that day, or any card), the reviews whose answer a card shown
earlier that day had shown (each by fronts, then by fronts and backs), how many minutes a
review waited past its due time (or the day's start) on average, the day the last new card
came, and the reviews; then how many cards came on another day with all three rules than with
none.
"""

import argparse
import contextlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from unittest import mock

SQLITE = "/tmp/learnfrl-new-cards.sqlite3"
START = datetime(2026, 1, 5, 5, 0, tzinfo=UTC)  # the learner's day (UTC) starts at 4
CARD_SECONDS = 20
LEARNER_ID = 1000


def _setup() -> None:
    from bench.statistics_quick import sqlite_afresh

    sqlite_afresh(SQLITE)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_questions", verbosity=0)


def _run(username: str, days: int, new_per_day: int, backs: Mapping[int, frozenset[int]]) -> dict:
    """One learner's days; `backs`: what each card has shown once answered, front and back."""
    from learnfrl.accounts.users import User
    from quizzes.bank.cache import bank_current
    from quizzes.enums import Rating
    from quizzes.models import CardState, StudyProfile
    from quizzes.study.queue import study_queue
    from quizzes.study.services import review_record

    bank = bank_current()
    shows = bank.quiz_order.shows
    # Every run is the same learner, id and all: fsrs's fuzz is seeded by the card (the user's id
    # and the question's), so the runs differ by their rules alone.
    User.objects.filter(pk=LEARNER_ID).delete()
    user = User.objects.create_user(username=username, password="unused-password-1", pk=LEARNER_ID)
    StudyProfile.objects.create(
        user=user, time_zone="UTC", day_starts_at=4, new_per_day=new_per_day
    )
    came: dict[int, int] = {}
    after_new = after_any = reviews = review_after = after_back = 0
    any_back = review_back = 0  # as after_any and review_after, by fronts and backs
    # How long each card studied on an earlier day waited past its due time (or the day's start).
    late: list[float] = []
    for day in range(days):
        now = START + timedelta(days=day)
        day_end = START + timedelta(days=day + 1) - timedelta(hours=1)
        first_today: list[int] = []
        seen_today: list[int] = []
        while now < day_end:
            queue = study_queue(user=user, now=now, bank=bank)
            question = queue.next_question
            if question is None:
                if queue.next_due_at is None or queue.next_due_at >= day_end:
                    break
                now = max(now, queue.next_due_at)
                continue
            if question.id not in came:
                came[question.id] = day
                first_today.append(question.id)
                after_new += any(question.id in shows.get(g, ()) for g in first_today[:-1])
                after_any += any(question.id in shows.get(g, ()) for g in seen_today)
                after_back += any(question.id in backs.get(g, ()) for g in first_today[:-1])
                any_back += any(question.id in backs.get(g, ()) for g in seen_today)
            elif question.id not in first_today:
                review_after += any(question.id in shows.get(g, ()) for g in seen_today)
                review_back += any(question.id in backs.get(g, ()) for g in seen_today)
                due = CardState.objects.get(user=user, question_id=question.id).due
                late.append((now - max(due, START + timedelta(days=day))).total_seconds() / 60)
            seen_today.append(question.id)
            review_record(
                user=user,
                question_id=question.id,
                rating=Rating.GOOD,
                now=now,
                schedule=queue.day.schedule,
                shown_reps=queue.next_reps,
            )
            reviews += 1
            now += timedelta(seconds=CARD_SECONDS)
        if len(came) == len(bank.active) and day > max(came.values()) + 1:
            break
    return {
        "came": came,
        "after_new": after_new,
        "after_any": after_any,
        "after_back": after_back,
        "review_after": review_after,
        "any_back": any_back,
        "review_back": review_back,
        "late": sum(late) / len(late) if late else 0.0,
        "last_day": max(came.values()) + 1 if came else 0,
        "reviews": reviews,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=40)
    parser.add_argument("--new-per-day", type=int, default=20)
    args = parser.parse_args()
    _setup()
    from quizzes.bank.cache import bank_current

    # Each rule switched off: the first (siblings.answers_shown_waiting), the new card in a
    # review's place (new_card_first), a due card before the one that shows its answer
    # (answer_shown_first, which then gives back the card it is given).
    rules = (
        mock.patch("quizzes.study.queue.answers_shown_waiting", return_value=set()),
        mock.patch("quizzes.study.queue.new_card_first", return_value=None),
        mock.patch("quizzes.study.queue.answer_shown_first", side_effect=lambda due, *_: due),
    )
    from quizzes.study import siblings

    # new_card_first without its guards for the cards due now (each a card's answer given away
    # whichever comes first): what the guards cost the new cards and save the reviews.
    unguarded = mock.patch(
        "quizzes.study.queue.new_card_first",
        side_effect=lambda *args, **kwargs: siblings.new_card_first(
            *args, **{**kwargs, "offered": set()}
        ),
    )
    # Every rule reading fronts alone, as before backs counted.
    from quizzes.bank.cache import Bank

    backs = bank_current().shown_once_answered

    fronts = mock.patch.object(
        Bank, "shown_once_answered", new=property(lambda bank: bank.quiz_order.shows)
    )
    runs = []
    for name, off in (
        ("no rule", rules),
        ("first rule", rules[1:]),
        ("first two", rules[2:]),
        ("fronts only", (fronts,)),
        ("all three", ()),
        ("unguarded", (unguarded,)),
    ):
        with contextlib.ExitStack() as stack:
            for patch in off:
                stack.enter_context(patch)
            runs.append((name, _run(name.replace(" ", "-"), args.days, args.new_per_day, backs)))
    before, after = dict(runs)["no rule"], dict(runs)["all three"]
    total = len(bank_current().active)
    print(f"{total} questions, {args.new_per_day} new cards a day, every card rated Good")
    print(
        f"{'':15}{'new cards after':>16}{'its back':>9}{'after':>7}{'its back':>9}"
        f"{'reviews after':>15}{'its back':>9}{'minutes':>9}{'last new':>10}{'reviews':>9}"
    )
    print(
        f"{'':15}{'a new card':>16}{'too':>9}{'any':>7}{'too':>9}{'any card':>15}{'too':>9}"
        f"{'late':>9}{'on day':>10}{'':>9}"
    )
    for name, run in runs:
        print(
            f"{name:15}{run['after_new']:>16}{run['after_back']:>9}{run['after_any']:>7}"
            f"{run['any_back']:>9}{run['review_after']:>15}{run['review_back']:>9}"
            f"{run['late']:>9.1f}{run['last_day']:>10}{run['reviews']:>9}"
        )
    moved = [after["came"][q] - before["came"][q] for q in before["came"] if q in after["came"]]
    later = [m for m in moved if m > 0]
    print(
        f"cards that came later with all three rules than with none: {len(later)} (by "
        f"{max(later, default=0)} days at most), sooner: {sum(1 for m in moved if m < 0)}; "
        "never came: "
        f"{total - len(after['came'])} with them, {total - len(before['came'])} without"
    )


if __name__ == "__main__":
    main()
