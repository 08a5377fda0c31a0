"""The study settings page: the learner's limits, leeches and day, and their schedule
(optimizing the parameters, going back, the workload simulator: each a partial of the page, htmx
or a plain form post)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quizzes import tasks
from quizzes.enums import LeechAction, ParametersChoice
from quizzes.models import StudyProfile
from quizzes.parameters import selectors as schedule_selectors
from quizzes.parameters import services as schedule_services
from quizzes.parameters.forms import (
    SIBLINGS_SAME_DAY,
    SIBLINGS_WAIT,
    DaySettingsForm,
    LeechSettingsForm,
    ParametersChoiceForm,
    SiblingSettingsForm,
    StudySettingsForm,
)
from quizzes.study import selectors as study_selectors
from quizzes.study import services as study_services
from quizzes.web import LearnerRequest, after_post, go_to, one_at_a_time, page

SETTINGS_PAGE = "quizzes/study_settings.html"


def settings_form_initial(profile: StudyProfile) -> dict[str, object]:
    return {
        "desired_retention": profile.desired_retention,
        "new_per_day": profile.new_per_day,
        "max_reviews_per_day": profile.max_reviews_per_day,
        "daily_goal": profile.daily_goal,
    }


def day_form_initial(profile: StudyProfile) -> dict[str, object]:
    return {
        "time_zone": profile.time_zone,
        "day_starts_at": profile.day_starts_at,
        "learn_ahead_minutes": profile.learn_ahead_minutes,
    }


def sibling_form_initial(profile: StudyProfile) -> dict[str, object]:
    return {"bury_siblings": SIBLINGS_WAIT if profile.bury_siblings else SIBLINGS_SAME_DAY}


def settings_context(request: LearnerRequest, **extra: object) -> dict[str, object]:
    """The settings page's context: the settings form (unless given) and the optimize panel."""
    profile = study_selectors.study_profile(user=request.user)
    context: dict[str, object] = {
        "form": StudySettingsForm(initial=settings_form_initial(profile)),
        "day_form": DaySettingsForm(initial=day_form_initial(profile)),
        "sibling_form": SiblingSettingsForm(initial=sibling_form_initial(profile)),
        "leech_form": LeechSettingsForm(
            initial={
                "leech_threshold": profile.leech_threshold,
                "leech_action": profile.leech_action,
            }
        ),
        "optimize": schedule_selectors.optimize_panel(
            user=request.user, profile=profile, now=timezone.now()
        ),
        "workload": None,
    }
    context.update(extra)
    return context


def _settings_part(request: LearnerRequest, partial: str, **extra: object) -> HttpResponse:
    return page(request, SETTINGS_PAGE, settings_context(request, **extra), partial=partial)


def _optimize_answer(request: LearnerRequest, notice: str) -> HttpResponse:
    """Answer a post about the learner's parameters: the optimize panel for htmx (with the
    notice), or back to the settings page with the notice as a message."""
    return after_post(
        request,
        url=reverse("quizzes:study_settings"),
        notice=notice,
        level=messages.SUCCESS,
        render=lambda notice: _settings_part(request, "optimize", notice=notice),
    )


@login_required
@require_POST
@one_at_a_time
def schedule_optimize(request: LearnerRequest) -> HttpResponse:
    """Queue "Optimize my schedule"; the page then shows its progress."""
    try:
        fit = tasks.fit_request(user=request.user, now=timezone.now())
    except tasks.FitRefused as refusal:
        return _optimize_answer(request, str(refusal))
    notice = (
        "Your reviews are being fitted in the background; this page shows when it is done."
        if not fit.is_finished
        else "Your schedule was optimized: see the figures below."
    )
    return _optimize_answer(request, notice)


@login_required
@require_safe
def schedule_status(request: LearnerRequest) -> HttpResponse:
    """The optimize panel alone (htmx polls it while a fit runs), or the whole settings page."""
    return _settings_part(request, "optimize")


@login_required
@require_POST
def schedule_parameters(request: LearnerRequest) -> HttpResponse:
    """Use the default parameters, or go back to the previous ones; cards are rescheduled."""
    use = ParametersChoiceForm(request.POST).cleaned_or_bad_request()["use"]
    if use == ParametersChoice.DEFAULT:
        schedule_services.parameters_apply(user=request.user, parameters=[])
        notice = "You are using the default parameters; your cards' due dates were recomputed."
    else:
        schedule_services.parameters_go_back(user=request.user)
        notice = "You are back on your previous parameters; your cards' due dates were recomputed."
    return _optimize_answer(request, notice)


@login_required
@require_safe
@one_at_a_time
def schedule_workload(request: LearnerRequest) -> HttpResponse:
    """Simulate what each desired retention costs (or take it from the cache), on the settings
    page: the chart and its table for htmx, the whole page otherwise."""
    profile = study_selectors.study_profile(user=request.user)
    try:
        workload = schedule_selectors.workload(
            user=request.user, profile=profile, now=timezone.now()
        )
    except schedule_selectors.WorkloadRefused as refusal:
        return _settings_part(request, "workload", workload_notice=str(refusal))
    return _settings_part(request, "workload", workload=workload)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def study_settings(request: LearnerRequest) -> HttpResponse:
    profile = study_selectors.study_profile(user=request.user)
    form = StudySettingsForm(request.POST or None, initial=settings_form_initial(profile))
    leech_initial = {
        "leech_threshold": profile.leech_threshold,
        "leech_action": profile.leech_action,
    }
    leech_form = LeechSettingsForm(request.POST or None, initial=leech_initial)
    day_form = DaySettingsForm(request.POST or None, initial=day_form_initial(profile))
    sibling_form = SiblingSettingsForm(request.POST or None, initial=sibling_form_initial(profile))
    forms_valid = all(f.is_valid() for f in (form, leech_form, day_form, sibling_form))
    if request.method == "POST" and forms_valid:
        before = profile.desired_retention
        # A field left empty keeps the learner's current value.
        leech = leech_form.cleaned_data
        # Not one transaction: a new desired retention replays every card's history, which
        # profile_save does outside a transaction and then writes in one (holding SQLite's write
        # lock for the writes only).
        study_services.profile_leech_save(
            user=request.user,
            leech_threshold=leech["leech_threshold"] or profile.leech_threshold,
            leech_action=leech["leech_action"] or LeechAction(profile.leech_action),
        )
        bury_siblings = sibling_form.cleaned_data["bury_siblings"]
        if bury_siblings is not None:
            study_services.profile_siblings_save(user=request.user, bury_siblings=bury_siblings)
        day = day_form.cleaned_data
        moved = study_services.profile_day_save(
            user=request.user,
            time_zone=day["time_zone"] or profile.time_zone,
            day_starts_at=profile.day_starts_at
            if day["day_starts_at"] is None
            else day["day_starts_at"],
            learn_ahead_minutes=profile.learn_ahead_minutes
            if day["learn_ahead_minutes"] is None
            else day["learn_ahead_minutes"],
        )
        saved = study_services.profile_save(user=request.user, **form.cleaned_data)
        if moved:
            messages.success(
                request,
                "Your study settings are saved. Your day now starts at "
                f"{saved.day_starts_at}:00, {saved.time_zone} time, and your cards' due dates "
                "were recomputed from your reviews for it.",
            )
        elif saved.desired_retention != before:
            messages.success(
                request,
                "Your study settings are saved, and your cards' due dates were recomputed "
                "for the new desired retention.",
            )
        else:
            messages.success(request, "Your study settings are saved.")
        return go_to(request, reverse("quizzes:study"))
    context = settings_context(
        request, form=form, leech_form=leech_form, day_form=day_form, sibling_form=sibling_form
    )
    return page(request, SETTINGS_PAGE, context)
