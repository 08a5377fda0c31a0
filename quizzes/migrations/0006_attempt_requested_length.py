from django.db import migrations, models

QUIZ_LENGTHS = (5, 10, 20)


def requested_from_delivered(apps, schema_editor):
    # The database being migrated (`migrate --database`), not always the default one.
    db = schema_editor.connection.alias
    # Past attempts did not keep what was asked for: the smallest length offered that covers
    # what was delivered is what the start form would have been sent.
    QuizAttempt = apps.get_model("quizzes", "QuizAttempt")
    for length in sorted({a for a in QuizAttempt.objects.using(db).values_list("length", flat=True)}):
        requested = next((n for n in QUIZ_LENGTHS if n >= length), QUIZ_LENGTHS[-1])
        QuizAttempt.objects.using(db).filter(length=length).update(requested_length=requested)


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0005_drop_user_indexes_covered_by_composites"),
    ]

    operations = [
        migrations.AddField(
            model_name="quizattempt",
            name="requested_length",
            field=models.PositiveSmallIntegerField(
                default=10, help_text="How many questions were asked for."
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="quizattempt",
            name="length",
            field=models.PositiveSmallIntegerField(help_text="How many questions the quiz holds."),
        ),
        migrations.RunPython(requested_from_delivered, migrations.RunPython.noop),
    ]
