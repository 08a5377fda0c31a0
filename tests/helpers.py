"""What many test modules share: the project's paths, the htmx request header, a browser log-in."""

from pathlib import Path

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
