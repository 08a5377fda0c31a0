"""App configuration for quizzes."""

from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Questions and learning"
    default_auto_field = "django.db.models.BigAutoField"
