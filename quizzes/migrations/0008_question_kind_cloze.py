"""Questions may be clozes: the kind's choices and the check constraint gain "cloze"."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0007_protect_studied_questions"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="question",
            name="question_kind_known",
        ),
        migrations.AlterField(
            model_name="question",
            name="kind",
            field=models.CharField(
                choices=[
                    ("multiple_choice", "Multiple choice"),
                    ("true_false", "True or false"),
                    ("typed", "Typed answer"),
                    ("cloze", "Fill in the blank"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["multiple_choice", "true_false", "typed", "cloze"])
                ),
                name="question_kind_known",
            ),
        ),
    ]
