"""URLs of the learning pages."""

from django.urls import path, register_converter

from learnfrl.parsing import ID_PATTERN
from quizzes.cards import views as cards
from quizzes.parameters import views as schedule
from quizzes.progress import views as progress
from quizzes.progress.statistics_views import progress_statistics
from quizzes.quiz import views as quizzes
from quizzes.reports import views as reports
from quizzes.study import custom
from quizzes.study import views as study


class IdConverter:
    """A database id: at most 18 digits, so a huge number is a 404, not an integer overflow."""

    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "quizzes"

urlpatterns = [
    path("study/", study.study, name="study"),
    path("study/answer/", study.study_answer, name="study_answer"),
    path("study/review/", study.study_review, name="study_review"),
    path("study/claim/", study.study_claim, name="study_claim"),
    path("study/undo/", study.study_undo, name="study_undo"),
    path("study/report/", reports.study_report, name="study_report"),
    path("study/settings/", schedule.study_settings, name="study_settings"),
    path("study/hold/", study.study_hold, name="study_hold"),
    path("study/cards/", cards.cards, name="cards"),
    path("study/cards/bulk/", cards.cards_bulk, name="cards_bulk"),
    path("study/cards/<id:question_id>/", cards.card_detail, name="card_detail"),
    path("study/cards/<id:question_id>/forget/", cards.card_forget, name="card_forget"),
    path("study/cards/<id:question_id>/due/", cards.card_due_set, name="card_due_set"),
    path("study/cards/<id:question_id>/undo/", cards.card_undo, name="card_undo"),
    path("study/settings/optimize/", schedule.schedule_optimize, name="schedule_optimize"),
    path("study/settings/optimize/status/", schedule.schedule_status, name="schedule_status"),
    path("study/settings/parameters/", schedule.schedule_parameters, name="schedule_parameters"),
    path("study/settings/workload/", schedule.schedule_workload, name="schedule_workload"),
    path("study/missed/<id:attempt_id>/", study.study_missed, name="study_missed"),
    path("study/passage/<id:sentence>/", study.study_passage, name="study_passage"),
    path("study/ahead/<id:days_ahead>/", study.study_ahead, name="study_ahead"),
    path("study/custom/", custom.study_custom, name="study_custom"),
    path("study/custom/ahead/", custom.study_custom_ahead, name="study_custom_ahead"),
    path("study/category/<slug:category_slug>/", study.study_category, name="study_category"),
    # Where category study pages were before they had a prefix of their own: moved for good.
    path("study/<slug:category_slug>/", study.study_category_moved, name="study_category_moved"),
    path("quizzes/", quizzes.quiz_list, name="quiz_list"),
    path("quizzes/start/", quizzes.quiz_start, name="quiz_start"),
    path("quizzes/<id:attempt_id>/", quizzes.quiz_attempt, name="quiz_attempt"),
    path("quizzes/<id:attempt_id>/answer/", quizzes.quiz_answer, name="quiz_answer"),
    path("quizzes/<id:attempt_id>/finish/", quizzes.quiz_finish, name="quiz_finish"),
    path("quizzes/<id:attempt_id>/results/", quizzes.quiz_results, name="quiz_results"),
    path("quizzes/<id:attempt_id>/report/", reports.quiz_report, name="quiz_report"),
    path(
        "quizzes/<id:attempt_id>/answers/<id:answer_id>/right/",
        quizzes.quiz_mark_right,
        name="quiz_mark_right",
    ),
    path("progress/", progress.progress_dashboard, name="progress"),
    path("progress/statistics/", progress_statistics, name="progress_statistics"),
    path("progress/export/", progress.progress_export, name="progress_export"),
    path("progress/export/reviews.csv", progress.export_reviews, name="export_reviews"),
    path("progress/export/cards.json", progress.export_cards, name="export_cards"),
    path("progress/export/account.json", progress.export_account, name="export_account"),
    path("progress/export/deck.apkg", progress.export_anki, name="export_anki"),
    path("article/", progress.article, name="article"),
]
