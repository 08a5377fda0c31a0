"""The site package's admin, found by Django's autodiscovery (which imports an app's `admin`
module only): the accounts' admin lives beside the rest of the accounts."""

from learnfrl.accounts import admin as accounts_admin

__all__ = ["accounts_admin"]
