"""Optimize my schedule: a learner's own FSRS parameters, fitted in the background, applied only
if better, with a way back; and cards rescheduled after a change of parameters or retention."""

import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from quizzes.enums import FitOutcome, FitStatus, Rating
from quizzes.models import AttemptAnswer, CardState, ReviewLog, ScheduleFit, StudyProfile
from quizzes.parameters.selectors import review_history
from quizzes.parameters.services import fit_run
from quizzes.rules import optimizing, scheduling
from quizzes.rules.optimizing import MIN_ITEMS
from quizzes.rules.scheduling import CARD_FIELDS, Schedule
from tests.factories import (
    CardStateFactory,
    QuestionFactory,
    ScheduleFitFactory,
    StudyProfileFactory,
)
from tests.helpers import HX
from tests.histories import history_store, replay
from tests.html import find
from tests.support.schedules import DEFAULT_SCHEDULE, UTC_DAY
from tests.support.synthetic import START, synthetic_history

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# After the synthetic learner's last review (tests.support.synthetic starts on 6 January 2025).
NOW = START + timedelta(days=120)
CARDS = 40


def stored_cards(user) -> dict[int, tuple]:
    return {
        c.question_id: tuple(getattr(c, f) for f in CARD_FIELDS)
        for c in CardState.objects.filter(user=user)
    }


def expected_cards(user, ids, history, *, schedule: Schedule) -> dict[int, tuple]:
    expected = {}
    for card, reviews in history.items():
        values = replay(user, ids[card], reviews, schedule=schedule)
        expected[ids[card]] = tuple(getattr(values, f) for f in CARD_FIELDS)
    return expected


@pytest.fixture(scope="module")
def forgetful_history():
    # A learner who forgets faster than the defaults expect: its own parameters are known.
    return synthetic_history(reviews=1500, cards=CARDS, seed=7)


@pytest.fixture
def learner(user, forgetful_history):
    ids = history_store(user, forgetful_history)
    return user, ids


# --- the panel --------------------------------------------------------------------------------


def test_the_settings_page_says_the_minimum_and_how_many_reviews_the_learner_has(
    learner_client, learner, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = learner_client.get(reverse("quizzes:study_settings"))
    panel = response.context_data["optimize"]
    assert panel.minimum == MIN_ITEMS == 8
    assert panel.reviews == 1500
    assert panel.can_optimize
    assert not panel.running
    assert response.context_data["workload"] is None  # simulated on demand only
    assert "Optimize my schedule" in response.content.decode()
    usable = optimizing.history_usable(review_history(user=learner[0]), UTC_DAY, now=NOW)
    assert panel.usable == usable >= MIN_ITEMS
    assert f"You have 1,500 reviews in all, {usable:,} of them usable." in response.content.decode()


def test_a_learner_below_the_minimum_is_told_and_has_no_button(learner_client, user):
    question = QuestionFactory.create()
    ReviewLog.objects.create(user=user, question=question, rating=3, reviewed_at=NOW)
    panel = learner_client.get(reverse("quizzes:study_settings")).context_data["optimize"]
    assert panel.reviews == 1
    assert not panel.can_optimize
    assert (
        'action="/study/settings/optimize/"'
        not in learner_client.get(reverse("quizzes:study_settings")).content.decode()
    )


def _same_day_reviews(user, count):
    """Many reviews, none a day after the one before: nothing the optimizer can learn from."""
    for n in range(count):
        ReviewLog.objects.create(
            user=user,
            question=QuestionFactory.create(),
            rating=3,
            reviewed_at=NOW - timedelta(hours=2, minutes=n),
        )


def test_many_reviews_of_which_none_is_usable_disable_the_button_and_say_why_beside_it(
    learner_client, user
):
    _same_day_reviews(user, 30)
    html = learner_client.get(reverse("quizzes:study_settings")).content.decode()
    # No form to post, a disabled button described by the reason, which gives both counts.
    assert 'action="/study/settings/optimize/"' not in html
    button = find(html, "button", aria_describedby="optimize-shortfall")
    assert "disabled" in button.attrs
    assert button.text == "Optimize my schedule"
    assert find(html, "p", id="optimize-shortfall").text == (
        f"Optimizing needs at least {MIN_ITEMS} reviews it can learn from, and you have 0 "
        "(of 30 reviews in all): keep studying, and your schedule can be fitted to you then."
    )


def test_the_post_refuses_a_history_with_no_usable_review_and_queues_nothing(learner_client, user):
    _same_day_reviews(user, 30)
    response = learner_client.post(reverse("quizzes:schedule_optimize"), headers=HX)
    assert not ScheduleFit.objects.filter(user=user).exists()
    assert response.context_data["notice"].startswith(
        f"Optimizing needs at least {MIN_ITEMS} reviews it can learn from, and you have 0 (of 30"
    )


def test_a_learner_who_can_be_fitted_has_an_enabled_button_and_no_reason(learner_client, learner):
    html = learner_client.get(reverse("quizzes:study_settings")).content.decode()
    assert 'id="optimize-shortfall"' not in html
    form = find(html, "form", action="/study/settings/optimize/")
    assert "disabled" not in form.attrs


def test_the_usable_count_follows_the_log_when_it_changes(learner_client, user, forgetful_history):
    _same_day_reviews(user, 30)
    first = learner_client.get(reverse("quizzes:study_settings")).context_data["optimize"]
    history_store(user, forgetful_history)  # the count is not kept from before
    again = learner_client.get(reverse("quizzes:study_settings")).context_data["optimize"]
    assert (first.reviews, first.usable, again.reviews) == (30, 0, 1530)
    assert again.can_optimize


# --- fitting ----------------------------------------------------------------------------------


def test_optimizing_fits_better_parameters_applies_them_and_reschedules_every_card(
    learner_client, learner, forgetful_history
):
    user, ids = learner
    response = learner_client.post(reverse("quizzes:schedule_optimize"))
    assert response.status_code == 302
    assert response.url == reverse("quizzes:study_settings")

    fit = ScheduleFit.objects.get(user=user)
    assert (fit.status, fit.outcome) == (FitStatus.DONE, FitOutcome.APPLIED)
    assert fit.reviews == 1500
    assert fit.items >= optimizing.MIN_FULL_FIT_ITEMS
    # A fit that ran to the end records the losses of both parameter sets.
    assert fit.fitted_log_loss is not None
    assert fit.default_log_loss is not None
    assert fit.fitted_log_loss < fit.default_log_loss
    assert fit.previous_log_loss == fit.default_log_loss  # the defaults were in use
    assert fit.task_id

    profile = StudyProfile.objects.get(user=user)
    assert profile.parameters == fit.parameters
    assert len(profile.parameters) == 21
    assert profile.previous_parameters == []
    fitted = tuple(profile.parameters)
    assert stored_cards(user) == expected_cards(
        user,
        ids,
        forgetful_history,
        schedule=Schedule(desired_retention=0.9, parameters=fitted, day=UTC_DAY),
    )


def test_the_panel_shows_log_loss_and_rmse_of_default_previous_and_fitted(learner_client, learner):
    learner_client.post(reverse("quizzes:schedule_optimize"))
    response = learner_client.get(reverse("quizzes:study_settings"))
    fit = response.context_data["optimize"].fit
    assert fit.outcome == FitOutcome.APPLIED
    html = response.content.decode()
    for value in (fit.default_log_loss, fit.fitted_log_loss, fit.default_rmse, fit.fitted_rmse):
        assert f"{value:.4f}" in html
    assert "Use the default parameters" in html
    # The previous parameters were the defaults: "Use the default parameters" goes back to them.
    assert "Go back to my previous parameters" not in html
    learner_client.post(reverse("quizzes:schedule_parameters"), {"use": "default"})
    html = learner_client.get(reverse("quizzes:study_settings")).content.decode()
    assert "Use the default parameters" not in html
    assert "Go back to my previous parameters" in html


def settings_html(client) -> str:
    return client.get(reverse("quizzes:study_settings")).content.decode()


def test_the_last_run_is_told_in_the_past_and_a_switch_since_is_said(learner_client, learner):
    """After "Use the default parameters" the panel said the defaults were in use and, of the
    last run, that the learner's own parameters "are in use" (an outside test)."""
    learner_client.post(reverse("quizzes:schedule_optimize"))
    last_run = find(settings_html(learner_client), "p", cls="fit-outcome").text
    assert last_run.endswith(
        "Your own parameters predicted your reviews better, so they were put in use."
    )
    learner_client.post(reverse("quizzes:schedule_parameters"), {"use": "default"})
    last_run = find(settings_html(learner_client), "p", cls="fit-outcome").text
    assert last_run.endswith(
        "so they were put in use. You have since gone back to the default parameters."
    )
    learner_client.post(reverse("quizzes:schedule_parameters"), {"use": "previous"})
    last_run = find(settings_html(learner_client), "p", cls="fit-outcome").text
    assert last_run.endswith("so they were put in use.")


def test_a_fit_no_better_than_the_parameters_in_use_changes_nothing(learner_client, learner):
    user, _ids = learner
    learner_client.post(reverse("quizzes:schedule_optimize"))
    applied = StudyProfile.objects.get(user=user).parameters
    before = stored_cards(user)
    learner_client.post(reverse("quizzes:schedule_optimize"))  # the same history, fitted again

    latest = ScheduleFit.objects.filter(user=user).latest("id")
    assert latest.outcome == FitOutcome.NOT_BETTER
    # A fit that ran to the end records the loss of the parameters in use beside its own.
    assert latest.fitted_log_loss is not None
    assert latest.previous_log_loss is not None
    assert latest.fitted_log_loss >= latest.previous_log_loss
    profile = StudyProfile.objects.get(user=user)
    assert profile.parameters == applied
    assert profile.previous_parameters == []
    assert stored_cards(user) == before


def _few_reviews(user, count=3):
    question = QuestionFactory.create()
    for day in range(count):
        ReviewLog.objects.create(
            user=user, question=question, rating=3, reviewed_at=NOW - timedelta(days=10 - day)
        )


@pytest.mark.parametrize("reviews", [0, 3])
def test_too_few_reviews_queue_nothing_and_say_so(learner_client, user, reviews):
    _few_reviews(user, reviews)
    response = learner_client.post(reverse("quizzes:schedule_optimize"), headers=HX)
    assert not ScheduleFit.objects.filter(user=user).exists()
    assert response.context_data["notice"] == (
        f"Optimizing needs at least {MIN_ITEMS} reviews it can learn from, and you have 0 "
        f"(of {reviews} reviews in all): keep studying, "
        "and your schedule can be fitted to you then."
    )


def test_a_run_with_too_few_usable_reviews_fits_nothing_and_says_so(user):
    _few_reviews(user)
    fit = fit_run(fit_id=ScheduleFitFactory.create(user=user, queued=True, requested_at=NOW).pk)
    assert (fit.status, fit.outcome) == (FitStatus.DONE, FitOutcome.NOT_ENOUGH)
    assert fit.items < MIN_ITEMS
    assert not any(p.parameters for p in StudyProfile.objects.filter(user=user))


def test_the_fit_runs_in_the_low_priority_process(learner, monkeypatch):
    """fsrs-rs trains on every core: the fit goes through the offload (at nice 10 beside the
    web; tests/parameters/test_offload.py runs it there), not on the worker's own thread."""
    from quizzes.parameters import services
    from quizzes.parameters.offload import offloaded as real

    user, _ids = learner
    sent = []

    def noted(function, **kwargs):
        sent.append(function)
        return real(function, **kwargs)

    monkeypatch.setattr(services, "offloaded", noted)
    fit = fit_run(fit_id=ScheduleFitFactory.create(user=user, queued=True, requested_at=NOW).pk)
    assert fit.status == FitStatus.DONE
    assert sent == [optimizing.fit]


def test_optimizing_is_limited_per_learner(learner_client, learner, settings):
    user, _ids = learner
    settings.OPTIMIZE_RATE = "2/h"
    for _ in range(2):
        learner_client.post(reverse("quizzes:schedule_optimize"))
    refused = learner_client.post(reverse("quizzes:schedule_optimize"), headers=HX)
    assert ScheduleFit.objects.filter(user=user).count() == 2
    assert refused.context_data["notice"].startswith(
        "Your schedule was optimized several times this hour"
    )


def test_an_abandoned_run_leaves_no_task_row_behind(learner_client, user, settings):
    from django_tasks_db.models import DBTaskResult

    from quizzes.tasks import schedule_fit

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    lost = ScheduleFitFactory.create(
        user=user, queued=True, requested_at=NOW - timedelta(minutes=20)
    )
    task = schedule_fit.enqueue(lost.pk)
    ScheduleFit.objects.filter(pk=lost.pk).update(task_id=str(task.id))
    assert DBTaskResult.objects.filter(id=task.id).exists()
    learner_client.get(reverse("quizzes:study_settings"))  # nothing is cleaned by a page view
    learner_client.post(reverse("quizzes:schedule_optimize"))
    lost.refresh_from_db()
    assert lost.status == FitStatus.FAILED
    assert not DBTaskResult.objects.filter(id=task.id).exists()


def test_a_history_the_optimizers_filter_empties_is_told_the_true_reason(learner_client, user):
    # 12 cards, each rated Good and again two days later: 12 reviews to learn from, but fsrs-rs
    # sets aside a first rating given to fewer than 20 cards. (We said "only 0 could be
    # learned from".)
    for question in QuestionFactory.create_batch(12):
        for day in (10, 8):
            ReviewLog.objects.create(
                user=user, question=question, rating=3, reviewed_at=NOW - timedelta(days=day)
            )
    # The post refuses this history before queueing anything (the count is known): the run
    # the page explains is one from before that check.
    response = learner_client.post(reverse("quizzes:schedule_optimize"), headers=HX)
    assert "you have 0 (of 24 reviews in all)" in response.context_data["notice"]
    assert not ScheduleFit.objects.filter(user=user).exists()
    fit = fit_run(fit_id=ScheduleFitFactory.create(user=user, queued=True, requested_at=NOW).pk)
    assert (fit.outcome, fit.reviews, fit.candidates, fit.items) == (
        FitOutcome.NOT_ENOUGH,
        24,
        12,
        0,
    )
    html = " ".join(learner_client.get(reverse("quizzes:study_settings")).content.decode().split())
    assert "Of your 24 reviews, 12 came a day or more after the card's review before" in html
    assert "a first rating you gave to fewer than 20 cards is set aside whole" in html
    assert "That set aside 12 and left 0; it needs 8." in html


def test_the_figures_caption_counts_the_reviews_they_cover(learner_client, user):
    ScheduleFitFactory.create(user=user, done=True, reviews=1500, items=1143, candidates=1315)
    html = " ".join(learner_client.get(reverse("quizzes:study_settings")).content.decode().split())
    assert "predicts your 1,315 reviews a day or more after the one before (of 1,500)" in html
    # Beside the page's "usable" count, which is after the outlier filter (an outside audit read
    # the two as one count that disagreed).
    assert "Your parameters were fitted to the 1,143 of them its outlier filter kept." in html
    assert "once its outlier filter has set aside the rarest first intervals" in html


def test_a_second_request_while_a_fit_runs_finds_the_first(learner_client, user):
    running = ScheduleFitFactory.create(user=user, queued=True, requested_at=NOW)
    response = learner_client.post(reverse("quizzes:schedule_optimize"), headers=HX)
    assert ScheduleFit.objects.filter(user=user).count() == 1
    assert response.context_data["optimize"].fit == running
    assert response.context_data["optimize"].running


def test_a_run_whose_worker_never_finished_is_failed_and_may_be_requested_again(
    learner_client, learner
):
    user, _ids = learner
    lost = ScheduleFitFactory.create(
        user=user, queued=True, requested_at=NOW - timedelta(minutes=20)
    )
    learner_client.post(reverse("quizzes:schedule_optimize"))
    lost.refresh_from_db()
    assert lost.status == FitStatus.FAILED
    assert ScheduleFit.objects.filter(user=user, outcome=FitOutcome.APPLIED).count() == 1


def test_a_run_no_worker_finished_is_not_polled_for_ever_and_may_be_asked_for_again(
    learner_client, learner
):
    # The worker was stopped, or never started: nothing but the learner's next post marked the
    # run failed, and the panel, which hid the button while a run was under way, polled it
    # every 2 seconds for ever.
    user, _ids = learner
    ScheduleFitFactory.create(user=user, queued=True, requested_at=NOW - timedelta(minutes=20))
    for response in (
        learner_client.get(reverse("quizzes:study_settings")),
        learner_client.get(reverse("quizzes:schedule_status"), headers=HX),
    ):
        panel = response.context_data["optimize"]
        assert panel.abandoned
        assert not panel.running
        assert panel.can_optimize
        html = " ".join(response.content.decode().split())
        assert "hx-trigger" not in html
        assert (
            "did not finish (no background worker took it up in time, or its worker stopped)"
            in html
        )
        assert 'action="/study/settings/optimize/"' in html


def test_a_run_asked_for_a_moment_ago_is_still_under_way(learner_client, learner):
    user, _ids = learner
    ScheduleFitFactory.create(user=user, queued=True, requested_at=NOW - timedelta(minutes=14))
    response = learner_client.get(reverse("quizzes:schedule_status"), headers=HX)
    panel = response.context_data["optimize"]
    assert panel.running
    assert not panel.abandoned
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'action="/study/settings/optimize/"' not in html


def test_a_worker_that_takes_up_an_abandoned_run_fails_it_without_fitting(learner, monkeypatch):
    from quizzes.parameters import services

    user, _ids = learner

    fitted = []
    monkeypatch.setattr(services, "offloaded", lambda function, **kwargs: fitted.append(function))
    late = ScheduleFitFactory.create(
        user=user, queued=True, requested_at=NOW - timedelta(minutes=16)
    )
    fit = fit_run(fit_id=late.pk)
    assert fitted == []
    assert (fit.status, fit.finished_at, fit.outcome) == (FitStatus.FAILED, NOW, "")
    late.refresh_from_db()
    assert late.status == FitStatus.FAILED


# (status, asked for, taken up: minutes before NOW) -> whether the run lost its worker.
RUNS = {
    "queued a moment ago": (FitStatus.QUEUED, 14, None, False),
    "queued, no worker took it": (FitStatus.QUEUED, 16, None, True),
    "fitting after a backlog": (FitStatus.FITTING, 40, 20, False),
    "fitting, its worker gone": (FitStatus.FITTING, 40, 31, True),
    "rescheduling, its worker gone": (FitStatus.RESCHEDULING, 60, 45, True),
    "fitting since before runs said when": (FitStatus.FITTING, 60 * 24, None, True),
    "finished long ago": (FitStatus.DONE, 60 * 24, 60 * 24, False),
}


def _run(status, asked, taken, **fields):
    finished = status in (FitStatus.DONE, FitStatus.FAILED)
    return ScheduleFitFactory.create(
        status=status,
        requested_at=NOW - timedelta(minutes=asked),
        started_at=None if taken is None else NOW - timedelta(minutes=taken),
        finished_at=NOW - timedelta(minutes=taken - 1) if finished else None,
        **fields,
    )


def test_a_run_lost_its_worker_by_the_same_rule_in_the_database_and_on_the_page():
    # A run a worker took up was "abandoned" 15 minutes after it was asked for, while it was
    # fitting: the page offered a second run beside it, and cron failed it under its worker.
    runs = {name: _run(*spec[:3]) for name, spec in RUNS.items()}
    found = set(ScheduleFit.objects.filter(ScheduleFit.abandoned(NOW)).values_list("pk", flat=True))
    for name, run in runs.items():
        assert run.is_abandoned(NOW) is RUNS[name][3], name
        assert (run.pk in found) is RUNS[name][3], name


def test_cron_fails_every_abandoned_run_and_ends_its_task_row(settings):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from quizzes.tasks import schedule_fit

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    runs = {}
    for name, (status, asked, taken, _lost) in RUNS.items():
        run = _run(status, asked, taken)
        task = schedule_fit.enqueue(run.pk)
        ScheduleFit.objects.filter(pk=run.pk).update(task_id=str(task.id))
        if taken is not None:
            DBTaskResult.objects.filter(id=task.id).update(status=TaskResultStatus.RUNNING)
        runs[name] = (run, task.id)
    out = io.StringIO()
    call_command("fail_abandoned_fits", stdout=out)
    lost = [name for name, spec in RUNS.items() if spec[3]]
    assert out.getvalue() == f"Marked {len(lost)} abandoned optimizer run(s) failed.\n"
    for name, (run, task_id) in runs.items():
        before = run.status
        run.refresh_from_db()
        assert run.status == (FitStatus.FAILED if name in lost else before), name
        row = DBTaskResult.objects.filter(id=task_id).first()
        if name not in lost:
            assert row is not None, name
        elif RUNS[name][2] is None:
            assert row is None, name  # no worker took it: nothing is left queued
        else:
            # A worker took it: its row is ended, not deleted from under a worker that might
            # still save to it (a row gone stopped the worker).
            assert row is not None, name
            assert row.status == TaskResultStatus.FAILED, name


def test_a_run_failed_under_its_worker_is_neither_revived_nor_applied(learner, monkeypatch, caplog):
    from quizzes.parameters import services
    from quizzes.parameters.offload import offloaded as real

    user, _ids = learner

    def fit_then_cron_runs(function, **kwargs):
        def run(*args, **kw):
            result = real(function, **kwargs)(*args, **kw)
            # Cron, long after: the run counts as abandoned and is failed while it fits.
            assert services.fits_abandon(now=NOW + timedelta(hours=1)) == 1
            return result

        return run

    monkeypatch.setattr(services, "offloaded", fit_then_cron_runs)
    run = ScheduleFitFactory.create(user=user, queued=True, requested_at=NOW)
    fit = fit_run(fit_id=run.pk)
    run.refresh_from_db()
    assert (fit.status, run.status, run.outcome) == (FitStatus.FAILED, FitStatus.FAILED, "")
    # Fitted parameters better than the defaults (this learner's are known) were not applied.
    assert not any(p.parameters for p in StudyProfile.objects.filter(user=user))
    # The worker stopped there, not on a broken constraint (it wrote "rescheduling" over
    # "failed", and the database refused it).
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_a_run_failed_while_its_cards_are_rescheduled_applies_nothing(learner, monkeypatch, caplog):
    from quizzes.parameters import services

    user, _ids = learner
    rescheduled = services.cards_rescheduled

    def then_cron_runs(**kwargs):
        cards = rescheduled(**kwargs)
        # Cron, long after: the run counts as abandoned, and is failed as its cards are worked
        # out, before they are written.
        assert services.fits_abandon(now=NOW + timedelta(hours=1)) == 1
        return cards

    monkeypatch.setattr(services, "cards_rescheduled", then_cron_runs)
    run = ScheduleFitFactory.create(user=user, queued=True, requested_at=NOW)
    before = stored_cards(user)
    fit = fit_run(fit_id=run.pk)
    run.refresh_from_db()
    assert (fit.status, run.status, run.outcome) == (FitStatus.FAILED, FitStatus.FAILED, "")
    assert not any(p.parameters for p in StudyProfile.objects.filter(user=user))
    assert stored_cards(user) == before
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_a_run_whose_learner_left_mid_fit_ends_quietly(learner, monkeypatch):
    from quizzes.parameters import services
    from quizzes.parameters.offload import offloaded as real

    user, _ids = learner

    def fit_then_leave(function, **kwargs):
        def run(*args, **kw):
            result = real(function, **kwargs)(*args, **kw)
            type(user).objects.filter(pk=user.pk).delete()
            return result

        return run

    monkeypatch.setattr(services, "offloaded", fit_then_leave)
    run = ScheduleFitFactory.create(user=user, queued=True, requested_at=NOW)
    fit_run(fit_id=run.pk)  # raised DoesNotExist out of the worker's task
    assert not ScheduleFit.objects.filter(pk=run.pk).exists()


def test_a_failed_fit_is_recorded_and_changes_nothing(learner_client, learner, monkeypatch):
    user, _ids = learner

    def broken(*args, **kwargs):
        raise RuntimeError("the optimizer crashed")

    monkeypatch.setattr(optimizing, "fit", broken)
    response = learner_client.post(reverse("quizzes:schedule_optimize"))
    assert response.status_code == 302
    fit = ScheduleFit.objects.get(user=user)
    assert fit.status == FitStatus.FAILED
    assert fit.finished_at is not None
    assert not any(p.parameters for p in StudyProfile.objects.filter(user=user))


# --- progress while it runs -------------------------------------------------------------------


def test_while_a_fit_runs_htmx_polls_the_panel_and_a_plain_reload_shows_the_page(
    learner_client, user
):
    ScheduleFitFactory(user=user, fitting=True, requested_at=NOW)
    partial = learner_client.get(reverse("quizzes:schedule_status"), headers=HX)
    html = partial.content.decode()
    assert partial.context_data["optimize"].running
    assert "<html" not in html
    assert 'hx-trigger="every 2s"' in html
    assert "Fitting parameters to your reviews" in html
    page = learner_client.get(reverse("quizzes:schedule_status"))
    assert "<html" in page.content.decode()


def test_a_finished_panel_stops_polling(learner_client, user):
    ScheduleFitFactory(user=user, done=True, requested_at=NOW)
    html = learner_client.get(reverse("quizzes:schedule_status"), headers=HX).content.decode()
    assert "hx-trigger" not in html


# The worker closes and reopens database connections between tasks, as a worker process does:
# the test cannot run inside a transaction that it would close.
@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_the_fit_and_its_worker_runs_it(
    learner_client, learner, settings
):
    user, _ids = learner
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    learner_client.post(reverse("quizzes:schedule_optimize"))
    fit = ScheduleFit.objects.get(user=user)
    assert fit.status == FitStatus.QUEUED  # nothing ran in the request
    html = learner_client.get(reverse("quizzes:study_settings")).content.decode()
    assert "Waiting for the background worker" in html

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    fit.refresh_from_db()
    assert (fit.status, fit.outcome) == (FitStatus.DONE, FitOutcome.APPLIED)
    assert len(StudyProfile.objects.get(user=user).parameters) == 21


# --- going back -------------------------------------------------------------------------------


def test_the_learner_can_use_the_defaults_and_go_back_to_their_own(
    learner_client, learner, forgetful_history
):
    user, ids = learner
    learner_client.post(reverse("quizzes:schedule_optimize"))
    fitted = StudyProfile.objects.get(user=user).parameters

    response = learner_client.post(reverse("quizzes:schedule_parameters"), {"use": "default"})
    assert response.status_code == 302
    profile = StudyProfile.objects.get(user=user)
    assert (profile.parameters, profile.previous_parameters) == ([], fitted)
    assert stored_cards(user) == expected_cards(
        user, ids, forgetful_history, schedule=DEFAULT_SCHEDULE
    )

    learner_client.post(reverse("quizzes:schedule_parameters"), {"use": "previous"}, headers=HX)
    profile = StudyProfile.objects.get(user=user)
    assert (profile.parameters, profile.previous_parameters) == (fitted, [])
    assert stored_cards(user) == expected_cards(
        user,
        ids,
        forgetful_history,
        schedule=Schedule(desired_retention=0.9, parameters=tuple(fitted), day=UTC_DAY),
    )


@pytest.mark.parametrize("use", ["", "mine", "x" * 300])
def test_an_unknown_parameters_choice_is_refused_and_changes_nothing(learner_client, user, use):
    StudyProfileFactory(user=user, parameters=list(scheduling.DEFAULT_PARAMETERS))
    response = learner_client.post(reverse("quizzes:schedule_parameters"), {"use": use})
    assert response.status_code == 400
    assert StudyProfile.objects.get(user=user).parameters == list(scheduling.DEFAULT_PARAMETERS)


def test_schedule_changes_need_post(learner_client):
    assert learner_client.get(reverse("quizzes:schedule_optimize")).status_code == 405
    assert learner_client.get(reverse("quizzes:schedule_parameters")).status_code == 405


# --- the desired retention --------------------------------------------------------------------


def test_a_new_desired_retention_recomputes_every_cards_due_date(
    learner_client, learner, forgetful_history
):
    user, ids = learner
    response = learner_client.post(
        reverse("quizzes:study_settings"),
        {"desired_retention": "0.85", "new_per_day": "20", "max_reviews_per_day": "200"},
    )
    assert response.status_code == 302
    assert stored_cards(user) == expected_cards(
        user, ids, forgetful_history, schedule=DEFAULT_SCHEDULE.with_retention(0.85)
    )
    (message,) = get_messages(response.wsgi_request)
    assert "due dates were recomputed for the new desired retention" in str(message)


def test_unchanged_settings_leave_the_cards_as_they_were(learner_client, learner):
    user, _ids = learner
    before = stored_cards(user)
    learner_client.post(
        reverse("quizzes:study_settings"),
        {"desired_retention": "0.90", "new_per_day": "10", "max_reviews_per_day": "200"},
    )
    assert stored_cards(user) == before


# --- the parameters are used wherever the learner's cards are scheduled -----------------------


def test_the_buttons_and_the_rating_use_the_learners_own_parameters(learner_client, user):
    own = list(scheduling.DEFAULT_PARAMETERS)
    own[2] = 9.5  # a much longer first interval after Good
    StudyProfileFactory(user=user, parameters=own)
    QuestionFactory()
    front = learner_client.get(reverse("quizzes:study"), headers=HX)
    back = learner_client.post(
        reverse("quizzes:study_answer"), {"token": front.context_data["token"]}, headers=HX
    )
    buttons = {int(b.rating): b.interval for b in back.context_data["buttons"]}
    expected = scheduling.preview(
        scheduling.NEW_CARD,
        now=NOW,
        schedule=Schedule(desired_retention=0.9, parameters=tuple(own), day=UTC_DAY),
        seed=f"{user.pk}:{back.context_data['question'].id}",
    )
    assert buttons == {r: scheduling.interval_label(gap) for r, gap in expected.items()}
    learner_client.post(
        reverse("quizzes:study_review"),
        {"token": back.context_data["token"], "rating": 4},
        headers=HX,
    )
    card = CardState.objects.get(user=user)
    assert scheduling.interval_label(card.due - NOW) == buttons[4]


@pytest.mark.parametrize(
    "value",
    [
        [1.0] * 20,
        [*scheduling.DEFAULT_PARAMETERS[:20], float("nan")],
        [*scheduling.DEFAULT_PARAMETERS[:20], float("inf")],
        [*scheduling.DEFAULT_PARAMETERS[:20], "0.1"],
        [*scheduling.DEFAULT_PARAMETERS[:20], True],
        [1000.0, *scheduling.DEFAULT_PARAMETERS[1:]],
        {"w": 1},
    ],
)
def test_stored_parameters_are_validated_by_length_finiteness_and_bounds(user, value):
    profile = StudyProfile(user=user, parameters=value)
    with pytest.raises(ValidationError):
        profile.full_clean()


def test_no_parameters_and_the_default_ones_are_valid(user):
    StudyProfile(user=user, parameters=[]).full_clean()
    StudyProfile(user=user, parameters=list(scheduling.DEFAULT_PARAMETERS)).full_clean()


def test_recall_now_follows_the_learners_own_forgetting_curve(user):
    from learnfrl.accounts.users import User
    from quizzes.progress.selectors import progress_summary
    from quizzes.study.selectors import study_profile

    def readiness() -> float:
        learner = User.objects.get(pk=user.pk)
        schedule = study_profile(user=learner).schedule
        return progress_summary(user=learner, now=NOW, schedule=schedule).readiness

    card = CardStateFactory.create(
        user=user, in_review=True, stability=10.0, last_review=NOW - timedelta(days=20)
    )
    default = readiness()
    own = list(scheduling.DEFAULT_PARAMETERS)
    own[20] = 0.6  # the forgetting curve's decay
    StudyProfileFactory(user=user, parameters=own)
    mine = readiness()
    expected = scheduling.retrievability(
        card.values(),
        now=NOW,
        schedule=Schedule(desired_retention=0.9, parameters=tuple(own), day=UTC_DAY),
    )
    assert mine == pytest.approx(expected)
    assert mine != pytest.approx(default)


def test_rescheduling_under_unchanged_settings_gives_back_the_cards_the_app_recorded(
    learner_client, user, frozen
):
    from quizzes.parameters import services as schedule_services

    QuestionFactory.create_batch(3)
    for hours in (0, 0.2, 0.4, 30, 31, 80, 200):
        frozen.move_to(NOW + timedelta(hours=hours))
        front = learner_client.get(reverse("quizzes:study"), headers=HX)
        if front.context_data["side"] != "front":
            continue
        back = learner_client.post(
            reverse("quizzes:study_answer"), {"token": front.context_data["token"]}, headers=HX
        )
        learner_client.post(
            reverse("quizzes:study_review"),
            {"token": back.context_data["token"], "rating": 2 + int(hours) % 3},
            headers=HX,
        )
    recorded = stored_cards(user)
    assert ReviewLog.objects.filter(user=user).count() >= 5
    profile = StudyProfileFactory.create(user=user)
    assert schedule_services.retention_apply(user=user, profile=profile) == len(recorded)
    assert stored_cards(user) == recorded


def test_a_quiz_answer_is_scheduled_with_the_learners_own_parameters(learner_client, user):
    own = list(scheduling.DEFAULT_PARAMETERS)
    own[2] = 9.5  # a long first interval after Good
    StudyProfileFactory(user=user, parameters=own)
    QuestionFactory.create_batch(5)
    learner_client.post(
        reverse("quizzes:quiz_start"), {"category": "", "length": 5, "seconds_per_question": 30}
    )
    answer = AttemptAnswer.objects.filter(attempt__user=user).order_by("position").first()
    assert answer is not None  # the quiz just started holds five questions
    question = answer.question
    learner_client.post(
        reverse("quizzes:quiz_answer", args=[answer.attempt_id]),
        {"question": question.pk, "response": question.answer},
    )
    card = CardState.objects.get(user=user, question=question)
    expected = scheduling.review(
        scheduling.NEW_CARD,
        Rating.GOOD,
        now=NOW,
        schedule=Schedule(desired_retention=0.9, parameters=tuple(own), day=UTC_DAY),
        seed=f"{user.pk}:{question.pk}",
    )
    assert (card.stability, card.due) == (expected.stability, expected.due)


def test_a_run_counts_every_review_of_a_card_forgotten_since(user):
    """The fit reads each card from its latest Forget; the figure the page prints as "of your N
    reviews" counts them all, as the page's own count beside it does (a review of the change)."""
    from quizzes.cards.edits import card_forget
    from tests.helpers import rating_recorded

    question = QuestionFactory.create()
    for day in range(3):
        when = NOW - timedelta(days=10 - day)
        rating_recorded(user, question.pk, shown_reps=None, now=when, rating=Rating.GOOD)
    card_forget(user=user, question_id=question.pk, now=NOW - timedelta(days=5))
    fit = fit_run(fit_id=ScheduleFitFactory.create(user=user, queued=True, requested_at=NOW).pk)
    assert fit.reviews == ReviewLog.objects.filter(user=user).count() == 3
