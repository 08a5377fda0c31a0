"""App configuration for quizzes."""

from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Questions and learning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The learner's time zone goes into the session at log-in (quizzes.study.zone).
        from quizzes.study import zone  # noqa: F401
