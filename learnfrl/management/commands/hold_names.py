"""Give each account that holds no folded name its own (learnfrl/accounts/idents.py): run it
after making accounts in bulk (`bulk_create`, SQL), which sends no post_save."""

from typing import Any

from django.core.management.base import BaseCommand

from learnfrl.accounts.idents import idents_unheld_claim


class Command(BaseCommand):
    help = (
        "Let accounts made in bulk hold their names (NFKC, case-folded), the oldest first, so "
        "sign-up refuses their look-alikes before their first log-in."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = idents_unheld_claim()
        self.stdout.write(f"Names held for {count} account(s) that held none.")
