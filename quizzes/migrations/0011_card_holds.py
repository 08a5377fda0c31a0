import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0010_editors_handle_reports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CardHold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("bury", "Buried"), ("suspend", "Suspended")], max_length=10
                    ),
                ),
                (
                    "until",
                    models.DateTimeField(
                        blank=True, help_text="Empty while suspended.", null=True
                    ),
                ),
                ("placed_at", models.DateTimeField()),
                (
                    "origin",
                    models.CharField(
                        choices=[
                            ("study", "From the back of a card"),
                            ("cards", "From the cards page"),
                            ("leech", "Suspended as a leech"),
                        ],
                        max_length=5,
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="card_holds",
                        to="quizzes.question",
                    ),
                ),
                (
                    "review_log",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="quizzes.reviewlog",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="card_holds",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "question"), name="card_hold_one_per_question"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "suspend"), ("until__isnull", True)),
                            models.Q(("kind", "bury"), ("until__isnull", False)),
                            _connector="OR",
                        ),
                        name="card_hold_bury_has_end",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("origin", "leech"), ("review_log__isnull", False)),
                            models.Q(
                                models.Q(("origin", "leech"), _negated=True),
                                ("review_log__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="card_hold_leech_has_review",
                    ),
                ],
            },
        ),
    ]
