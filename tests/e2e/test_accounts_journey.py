"""A visitor signs up, lands on the study home, logs out and logs back in."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_signs_up_logs_out_and_logs_back_in(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()

    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password", exact=True).fill("violet-harbour-4821")
    page.get_by_label("Password confirmation").fill("violet-harbour-4821")
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url("/study/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Study")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("violet-harbour-4821")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/study/")
