"""URLs of the learning pages."""

from django.urls import path

from quizzes import views

urlpatterns = [
    path("study/", views.study, name="study"),
    path("study/answer/", views.study_answer, name="study_answer"),
    path("study/review/", views.study_review, name="study_review"),
    path("study/undo/", views.study_undo, name="study_undo"),
    path("study/settings/", views.study_settings, name="study_settings"),
    path("study/missed/<int:attempt_id>/", views.study_missed, name="study_missed"),
    path("study/<slug:category_slug>/", views.study_category, name="study_category"),
    path("quizzes/", views.quiz_list, name="quiz_list"),
    path("quizzes/start/", views.quiz_start, name="quiz_start"),
    path("quizzes/<int:attempt_id>/", views.quiz_attempt, name="quiz_attempt"),
    path("quizzes/<int:attempt_id>/answer/", views.quiz_answer, name="quiz_answer"),
    path("quizzes/<int:attempt_id>/finish/", views.quiz_finish, name="quiz_finish"),
    path("quizzes/<int:attempt_id>/results/", views.quiz_results, name="quiz_results"),
]
