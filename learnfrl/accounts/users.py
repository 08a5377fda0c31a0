"""The site's user model, imported from Django in this one place.

The project keeps `django.contrib.auth.models.User` (docs/user-model.md says why). Code that needs
the class for a type or a form's Meta imports `User` from here; queries may also use
`get_user_model()`, and models point at `settings.AUTH_USER_MODEL`. Swapping the model later
changes this line, not thirty imports.
"""

from django.contrib.auth.models import User

__all__ = ["User"]
