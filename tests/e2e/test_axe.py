"""axe-core on every learner page, in light and dark, on a desktop and a phone screen.

axe-core comes inside axe-playwright-python (nothing is fetched at run time). A serious or
critical violation fails the test; moderate and minor ones are printed for a person to read.
"""

import re
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from learnfrl.accounts.verification import email_link_token
from tests.factories import UserFactory
from tests.helpers import log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("bundled_bank")]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
FAILING = {"serious", "critical"}
# The WCAG 2.x A and AA rules and axe's best practices, as the "axe clean" asks.
OPTIONS = {"resultTypes": ["violations"]}


def _axe():
    """axe-core's runner, imported here so that collecting the fast tests (`-m "not e2e"`) does
    not need the dev dependency; a browser run without it fails on this import."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


# Landing, log-in, a typed and a choice card's front and back, the article with a popover open,
# progress with its statistics, the cards, a card, the account, the page of the link that verifies
# an e-mail address, study settings, a quiz question, the page asking before a quiz is finished,
# and the results.
PAGES = 16


@dataclass
class Findings:
    """What axe said on each page, kept until the walk ends so one run reports every page."""

    failing: list[str] = field(default_factory=list)
    moderate: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def check(self, page: Page, name: str) -> None:
        self.checked.append(name)
        results = _axe().run(page, options=OPTIONS)
        for violation in results.response["violations"]:
            targets = "; ".join(
                " ".join(str(part) for part in node["target"]) for node in violation["nodes"][:5]
            )
            impact, rule = violation["impact"], violation["id"]
            line = f"{name}: [{impact}] {rule} — {violation['help']} @ {targets}"
            if impact in FAILING:
                self.failing.append(line)
            else:
                self.moderate.append(line)


def study_until(page: Page, findings: Findings, suffix: str) -> None:
    """Study cards until both a typed and a choice card have been checked, front and back."""
    seen: set[str] = set()
    for _ in range(30):
        card = page.locator("#card")
        expect(card).to_have_attribute("data-side", "front")
        kind = "choice" if page.locator("#card .choice").count() else "typed"
        if kind not in seen:
            findings.check(page, f"study front ({kind}) {suffix}")
        if kind == "choice":
            page.locator("#card .choice input").first.check()
        page.get_by_role("button", name="Show answer").click()
        expect(card).to_have_attribute("data-side", "back")
        if kind not in seen:
            findings.check(page, f"study back ({kind}) {suffix}")
            seen.add(kind)
        if seen == {"choice", "typed"}:
            return
        page.get_by_role("button", name=re.compile(r"^Good, next in ")).click()
    pytest.fail(f"Met only {seen} in 30 cards of the bundled bank.")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_every_learner_page_has_no_serious_or_critical_axe_violation(
    browser, live_server, scheme, screen
):
    phone = screen == "phone"
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE if phone else DESKTOP,
        color_scheme=scheme,
        has_touch=phone,
        is_mobile=phone,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    findings = Findings()
    suffix = f"({scheme}, {screen})"
    try:
        page.goto("/")
        findings.check(page, f"landing {suffix}")
        page.goto("/accounts/login/")
        findings.check(page, f"log-in {suffix}")

        learner = UserFactory.create()
        log_in(page, learner.username)
        study_until(page, findings, suffix)

        page.goto("/article/")
        summary = page.locator("details.passage-mark > summary").first
        summary.click()
        expect(summary.locator("xpath=..").locator(".passage-info")).to_be_visible()
        findings.check(page, f"article with a popover {suffix}")

        page.goto("/progress/")
        page.locator("#statistics").scroll_into_view_if_needed()
        expect(
            page.get_by_role("img", name="Presses of each answer button, by card type")
        ).to_be_visible()
        findings.check(page, f"progress with statistics {suffix}")

        page.goto("/study/cards/")
        findings.check(page, f"cards {suffix}")
        page.locator("table th[scope=row] a[href^='/study/cards/']").first.click()
        expect(page).to_have_url(re.compile(r"/study/cards/\d+/$"))
        findings.check(page, f"card page {suffix}")

        page.goto("/account/")
        findings.check(page, f"account {suffix}")
        token = email_link_token(user=learner, email=learner.email)
        page.goto(reverse("email_verify", args=[token]))
        findings.check(page, f"e-mail verification {suffix}")

        page.goto("/study/settings/")
        findings.check(page, f"study settings {suffix}")

        page.goto("/quizzes/")
        page.get_by_role("button", name="Start quiz").click()
        expect(page.locator("#question")).to_be_visible()
        findings.check(page, f"quiz question {suffix}")
        # The page that asks before finishing, as a browser without JavaScript is shown it
        # (form.submit() fires no submit event: the script's dialog does not ask).
        page.evaluate("document.getElementById('finish-form').submit()")
        expect(page.get_by_role("heading", name="Finish the quiz now?")).to_be_visible()
        findings.check(page, f"quiz finish, asked first {suffix}")
        page.get_by_role("button", name="Finish now and see results").click()
        expect(page.get_by_role("heading", name="Quiz results")).to_be_visible()
        findings.check(page, f"quiz results {suffix}")
    finally:
        context.close()

    for line in findings.moderate:
        print("axe (moderate or minor):", line)
    assert len(findings.checked) == PAGES, findings.checked
    assert findings.failing == [], "\n".join(findings.failing)


def test_the_check_catches_what_it_is_there_to_catch(page):
    """On a page made to fail (text too faint, an unnamed button), the check reports both as
    failing: a clean run above means clean pages, not a check that never looks."""
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<p style="color:#999;background:#aaa">faint</p><button></button></main></body></html>'
    )
    findings = Findings()
    findings.check(page, "made to fail")
    assert [line.split("] ")[1].split(" ")[0] for line in findings.failing] == [
        "button-name",
        "color-contrast",
    ]
