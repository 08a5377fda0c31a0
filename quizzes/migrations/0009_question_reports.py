"""Learners report a wrong or unclear question; one open report per learner and question."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('quizzes', '0008_question_kind_cloze'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='QuestionReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('origin', models.CharField(choices=[('study', 'Study'), ('quiz', 'Quiz')], help_text='Where the learner sent it from.', max_length=5)),
                ('response', models.CharField(blank=True, help_text='What the learner answered, where known (empty: no answer, or not known).', max_length=500, verbose_name="learner's answer")),
                ('comment', models.TextField(max_length=500)),
                ('status', models.CharField(choices=[('open', 'Open'), ('fixed', 'Fixed'), ('rejected', 'Rejected')], default='open', max_length=10)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('question', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='quizzes.question')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='question_reports', to=settings.AUTH_USER_MODEL, verbose_name='learner')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['status', '-created_at'], name='report_status_created'), models.Index(fields=['question', 'status'], name='report_question_status')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('user', 'question'), name='report_one_open_per_learner_question', violation_error_message='This learner already has an open report on this question.'), models.CheckConstraint(condition=models.Q(('status__in', ['open', 'fixed', 'rejected'])), name='report_status_known'), models.CheckConstraint(condition=models.Q(('comment', ''), _negated=True), name='report_comment_not_empty')],
            },
        ),
    ]
