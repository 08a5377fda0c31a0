"""App configuration for the site package (templates and static files)."""

from django.apps import AppConfig


class LearnfrlConfig(AppConfig):
    name = "learnfrl"
    verbose_name = "learnfrl site"
