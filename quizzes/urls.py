"""URLs of the learning pages."""

from django.urls import path

from quizzes.views import progress, quizzes, study

urlpatterns = [
    path("study/", study.study, name="study"),
    path("study/answer/", study.study_answer, name="study_answer"),
    path("study/review/", study.study_review, name="study_review"),
    path("study/undo/", study.study_undo, name="study_undo"),
    path("study/settings/", study.study_settings, name="study_settings"),
    path("study/missed/<int:attempt_id>/", study.study_missed, name="study_missed"),
    path("study/passage/<int:sentence>/", study.study_passage, name="study_passage"),
    path("study/<slug:category_slug>/", study.study_category, name="study_category"),
    path("quizzes/", quizzes.quiz_list, name="quiz_list"),
    path("quizzes/start/", quizzes.quiz_start, name="quiz_start"),
    path("quizzes/<int:attempt_id>/", quizzes.quiz_attempt, name="quiz_attempt"),
    path("quizzes/<int:attempt_id>/answer/", quizzes.quiz_answer, name="quiz_answer"),
    path("quizzes/<int:attempt_id>/finish/", quizzes.quiz_finish, name="quiz_finish"),
    path("quizzes/<int:attempt_id>/results/", quizzes.quiz_results, name="quiz_results"),
    path("progress/", progress.progress_dashboard, name="progress"),
    path("progress/export/", progress.progress_export, name="progress_export"),
    path("progress/export/reviews.csv", progress.export_reviews, name="export_reviews"),
    path("progress/export/cards.json", progress.export_cards, name="export_cards"),
    path("article/", progress.article, name="article"),
]
