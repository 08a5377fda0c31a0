from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0012_card_state_leech"),
    ]

    operations = [
        migrations.AddField(
            model_name="studyprofile",
            name="leech_threshold",
            field=models.PositiveSmallIntegerField(
                default=8, help_text="Lapses after which a card is a leech."
            ),
        ),
        migrations.AddField(
            model_name="studyprofile",
            name="leech_action",
            field=models.CharField(
                choices=[
                    ("suspend", "Suspend it and tag it as a leech"),
                    ("tag", "Only tag it as a leech"),
                ],
                default="suspend",
                max_length=10,
            ),
        ),
    ]
