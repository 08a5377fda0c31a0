"""Add facts: the claim a question tests, with its answer and accepted forms (nullable at first,
so the next migration can give every existing question one)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0016_choice_columns_hold_known_values"),
    ]

    operations = [
        migrations.CreateModel(
            name="Fact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=120, unique=True)),
                (
                    "claim",
                    models.TextField(
                        help_text="One sentence stating the fact in plain words.", max_length=1000
                    ),
                ),
                (
                    "answer",
                    models.CharField(
                        help_text="The canonical answer: what a typed card of the fact shows as right.",
                        max_length=200,
                    ),
                ),
                (
                    "accepted_answers",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Every other form that counts as right on the fact's typed and cloze cards.",
                    ),
                ),
                (
                    "source_passage",
                    models.TextField(
                        help_text="A span copied character for character from the article.",
                        max_length=2000,
                    ),
                ),
                (
                    "passage_offset",
                    models.PositiveIntegerField(
                        editable=False,
                        help_text="Where the passage starts in the article (characters).",
                    ),
                ),
                (
                    "position",
                    models.PositiveIntegerField(default=0, help_text="Order in the bank."),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["position", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("answer", ""), _negated=True),
                        name="fact_answer_not_empty",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("source_passage", ""), _negated=True),
                        name="fact_passage_not_empty",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="question",
            name="fact",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="questions",
                to="quizzes.fact",
            ),
        ),
    ]
