"""Moving a question to another category keeps its slug, so learners keep their progress on it."""

import copy
import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from quizzes.models import CardState, Question
from quizzes.rules.bankfile import bank_dumps
from tests.factories import UserFactory
from tests.helpers import BUNDLED

# Questions of issue 14 whose category changed, with the category they had before.
MOVED = {
    "symbols-press-conference-three-men-mc": "symbols",
    "organizations-frl-abbreviation-typed": "organizations",
    "symbols-manifesto-corruption-tf": "symbols",
    "people-caesar-rim-description-mc": "people",
}
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def load(path):
    out = StringIO()
    call_command("load_questions", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_moving_questions_to_another_category_keeps_their_rows_and_learners_progress(tmp_path):
    bundled = json.loads(BUNDLED.read_text(encoding="utf-8"))
    before = copy.deepcopy(bundled)
    for question in (q for fact in before["facts"] for q in fact["questions"]):
        if question["slug"] in MOVED:
            question["category"] = MOVED[question["slug"]]
    old_file = tmp_path / "before.json"
    old_file.write_text(bank_dumps(before), encoding="utf-8")
    load(old_file)
    learner = UserFactory.create()
    ids = dict(Question.objects.filter(slug__in=MOVED).values_list("slug", "pk"))
    for pk in ids.values():
        CardState.objects.create(user=learner, question_id=pk, due=NOW, reps=3, created_at=NOW)

    out = load(BUNDLED)

    assert f"0 added, {len(MOVED)} updated, 0 deactivated" in out
    moved = {q.slug: q for q in Question.objects.filter(slug__in=MOVED).select_related("category")}
    assert {slug: q.pk for slug, q in moved.items()} == ids
    assert all(moved[slug].category.slug != old for slug, old in MOVED.items())
    assert CardState.objects.filter(user=learner, question_id__in=ids.values(), reps=3).count() == 4
