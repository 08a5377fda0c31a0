"""The choice columns: the database refuses a value outside the column's enum, and each column is
wide enough for its enum's values."""

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from tests.factories import (
    CardHoldFactory,
    CardStateFactory,
    QuestionReportFactory,
    QuizAttemptFactory,
    ReviewLogFactory,
    ScheduleFitFactory,
    StudyProfileFactory,
)

QUIZZES = apps.get_app_config("quizzes")
CHOICE_FIELDS = [
    (model, field)
    for model in QUIZZES.get_models()
    for field in model._meta.get_fields()
    if getattr(field, "choices", None)
]


def _checked_fields(model: type[models.Model]) -> set[str]:
    """The fields named in the conditions of the model's check constraints."""
    names: set[str] = set()

    def walk(node: object) -> None:
        for child in getattr(node, "children", ()):
            if isinstance(child, tuple):
                names.add(child[0].split("__")[0])
            else:
                walk(child)

    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            walk(constraint.condition)
    return names


@pytest.mark.parametrize(
    ("model", "field"), CHOICE_FIELDS, ids=[f"{m.__name__}.{f.name}" for m, f in CHOICE_FIELDS]
)
def test_every_choice_column_is_checked_by_the_database(model, field):
    assert field.name in _checked_fields(model)


@pytest.mark.parametrize(
    ("model", "field"), CHOICE_FIELDS, ids=[f"{m.__name__}.{f.name}" for m, f in CHOICE_FIELDS]
)
def test_every_choice_column_holds_its_longest_value(model, field):
    if isinstance(field, models.CharField):
        assert field.max_length is not None
        assert field.max_length >= max(len(value) for value, _label in field.flatchoices)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "field", "value"),
    [
        (StudyProfileFactory, "leech_action", "delete"),
        (ScheduleFitFactory, "outcome", "lucky"),
        (CardStateFactory, "state", 0),
        (ReviewLogFactory, "origin", "web"),
        (ReviewLogFactory, "state_before", 4),
        (CardHoldFactory, "origin", "admin"),
        (QuizAttemptFactory, "ending", "abandoned"),
        (QuestionReportFactory, "origin", "email"),
    ],
)
def test_the_database_refuses_a_value_outside_the_enum(factory, field, value):
    row = factory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(row).objects.filter(pk=row.pk).update(**{field: value})
