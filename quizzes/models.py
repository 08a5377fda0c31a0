"""The learning domain's tables: the question bank, learners' cards and reviews, quizzes."""

from django.db import models
from django.db.models import Q


class Category(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    class Kind(models.TextChoices):
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        TRUE_FALSE = "true_false", "True or false"
        TYPED = "typed", "Typed answer"

    slug = models.SlugField(max_length=120, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(max_length=20, choices=Kind)
    prompt = models.TextField(max_length=500)
    answer = models.CharField(max_length=200)
    accepted_answers = models.JSONField(
        default=list, blank=True, help_text="Typed answers: every form that counts as right."
    )
    explanation = models.TextField(max_length=1000)
    source_passage = models.TextField(
        max_length=2000, help_text="A span copied character for character from the article."
    )
    passage_offset = models.PositiveIntegerField(
        editable=False, help_text="Where the passage starts in the article (characters)."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Order in the bank: new cards are introduced in this order."
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["is_active", "position"], name="question_active_position")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["multiple_choice", "true_false", "typed"]),
                name="question_kind_known",
            ),
            models.CheckConstraint(condition=~Q(answer=""), name="question_answer_not_empty"),
            models.CheckConstraint(
                condition=~Q(source_passage=""), name="question_passage_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def has_choices(self) -> bool:
        return self.kind != self.Kind.TYPED


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=200)
    is_correct = models.BooleanField("correct", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "text"], name="choice_text_unique"),
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(is_correct=True),
                name="choice_one_correct_per_question",
            ),
        ]

    def __str__(self) -> str:
        return self.text
