"""Migration 0032: a fact's accepted forms taken with direction marks (by "Accept", before forms
refused them) lose them, so its admin page saves and its export loads again."""

import importlib

import pytest
from django.apps import apps

from quizzes.models import Fact
from quizzes.rules.visible import bidi_problems
from tests.factories import FactFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("quizzes.migrations.0032_forms_without_direction_marks")


def test_forms_lose_their_direction_marks_and_a_repeat_is_dropped():
    marked = FactFactory.create(
        accepted_answers=["Ilya Ponomaryov\u200e", "\u2068Ilya\u2069 Ponomaryov", "Ilya\u200fP."]
    )
    clean = FactFactory.create(accepted_answers=["Mar 2022"])
    migration.forms_cleaned(apps, None)
    marked.refresh_from_db()
    assert marked.accepted_answers == ["Ilya Ponomaryov", "Ilya P."]
    assert not [form for form in marked.accepted_answers if bidi_problems(form)]
    assert Fact.objects.get(pk=clean.pk).accepted_answers == ["Mar 2022"]
