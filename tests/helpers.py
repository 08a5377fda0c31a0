"""What test modules share: the project's paths, the htmx header, a failing database, a log-in."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "fixtures" / "questions.json"
ARTIFACTS = ROOT / "test-artifacts"

# The header htmx sends with every request it makes: views answer it with a partial.
HX = {"HX-Request": "true"}


def log_in(page, username) -> None:
    """Log a learner in through the log-in form and wait for the study page's scripts."""
    from playwright.sync_api import expect  # only the browser journeys need Playwright

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url("/study/")
    page.wait_for_load_state("load")  # the keyboard shortcuts are attached by a deferred script


@contextmanager
def queries_fail(error: Exception, *, on: str = "") -> Iterator[None]:
    """Every query whose SQL contains `on` raises `error`, as a database gone away would.

    Django's documented execute wrapper: no view, selector or driver internals are patched.
    """

    def refuse(execute, sql, params, many, context):
        if on in sql:
            raise error
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield
