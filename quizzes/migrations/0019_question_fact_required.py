"""Every question now has a fact: make the link required, and drop the question's own accepted
forms (they live on its fact)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0018_one_fact_per_question")]

    operations = [
        migrations.AlterField(
            model_name="question",
            name="fact",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="questions",
                to="quizzes.fact",
            ),
        ),
        migrations.RemoveField(model_name="question", name="accepted_answers"),
    ]
