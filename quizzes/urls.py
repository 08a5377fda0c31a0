"""URLs of the learning pages."""

from django.urls import path

from quizzes import views

urlpatterns = [
    path("study/", views.study, name="study"),
    path("study/answer/", views.study_answer, name="study_answer"),
    path("study/review/", views.study_review, name="study_review"),
    path("study/undo/", views.study_undo, name="study_undo"),
    path("study/settings/", views.study_settings, name="study_settings"),
    path("study/<slug:category_slug>/", views.study_category, name="study_category"),
]
