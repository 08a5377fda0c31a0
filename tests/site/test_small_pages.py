"""The favicon answers, and logging out says so."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_static_icon_that_every_page_links(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg")
    assert "learnfrl/favicon" in response["Location"]
    landing = client.get(reverse("home")).content.decode()
    assert 'rel="icon"' in landing


def test_logging_out_says_you_are_logged_out_on_the_home_page(learner_client):
    response = learner_client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "You are logged out." in response.content.decode()
    assert "_auth_user_id" not in learner_client.session
