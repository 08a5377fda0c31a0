from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0011_card_holds"),
    ]

    operations = [
        migrations.AddField(
            model_name="cardstate",
            name="is_leech",
            field=models.BooleanField(
                default=False,
                help_text="Forgotten as often as the learner's leech threshold.",
                verbose_name="leech",
            ),
        ),
    ]
