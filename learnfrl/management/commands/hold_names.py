"""Give each account that holds no folded name its own (learnfrl/accounts/idents.py): run it
after making accounts in bulk (`bulk_create`, SQL), which sends no post_save."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS

from learnfrl.accounts.idents import idents_unheld_claim


class Command(BaseCommand):
    help = (
        "Let accounts made in bulk hold their names (NFKC, case-folded), the oldest first, so "
        "sign-up refuses their look-alikes before their first log-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='The database whose accounts to give their names. Defaults to "default".',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = idents_unheld_claim(using=options["database"])
        self.stdout.write(f"Names held for {count} account(s) that held none.")
