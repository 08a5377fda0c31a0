"""The site package's models: the folded usernames the log-in limits key on."""

from learnfrl.accounts.idents import AccountIdent

__all__ = ["AccountIdent"]
