"""App configuration for the site package (templates and static files)."""

from django.apps import AppConfig


class LearnfrlConfig(AppConfig):
    name = "learnfrl"
    verbose_name = "learnfrl site"

    def ready(self) -> None:
        from learnfrl import checks  # noqa: F401  (registers the system checks)
