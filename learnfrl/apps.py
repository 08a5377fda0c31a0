"""App configuration for the site package (templates and static files)."""

from django.apps import AppConfig


class LearnfrlConfig(AppConfig):
    name = "learnfrl"
    verbose_name = "learnfrl site"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_save, pre_save

        from learnfrl import checks  # noqa: F401  (registers the system checks)
        from learnfrl.accounts.idents import AccountIdent, ident_on_load, ident_on_save
        from learnfrl.accounts.verification import verification_on_save

        post_save.connect(ident_on_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="ident")
        post_save.connect(
            verification_on_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="verification"
        )
        pre_save.connect(ident_on_load, sender=AccountIdent, dispatch_uid="ident-load")
