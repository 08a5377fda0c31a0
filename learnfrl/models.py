"""The site package's models: the folded usernames the log-in limits key on, and the verified
e-mail addresses password resets go to."""

from learnfrl.accounts.idents import AccountIdent
from learnfrl.accounts.verification import EmailVerification

__all__ = ["AccountIdent", "EmailVerification"]
