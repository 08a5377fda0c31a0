"""The log-in backend: Django's own, loading the learner's study settings with the user.

Every learner page reads the learner's study settings (their day, retention, limits), so
`request.user` comes with `user.study_profile` joined in the same query as the user — one query
fewer on every page that studies, rates or answers. A learner who never saved settings has no
row: `quizzes.study.selectors.study_profile` gives the defaults, as before.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from learnfrl.accounts.users import User

# Its dotted path, for the views that log a user in themselves (sign-up).
LEARNER_BACKEND = "learnfrl.accounts.backends.LearnerBackend"


class LearnerBackend(ModelBackend):
    """ModelBackend (passwords, permissions, inactive users refused) whose `get_user` joins the
    learner's study settings."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("study_profile").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
