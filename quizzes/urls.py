"""URLs of the learning pages."""

from django.urls import path

from quizzes import views

urlpatterns = [
    path("study/", views.study, name="study"),
]
