"""factory-boy factories for the tests."""

import factory
from django.contrib.auth.models import User

from quizzes.article import passage_offset

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Category"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").title())
    display_order = factory.Sequence(int)


# A sentence of the article with one blank, as the `cloze` trait of QuestionFactory writes it.
CLOZE_TEXT = "It was formed in March 2022 and is reportedly part of Ukraine's International Legion."
CLOZE_PROMPT = (
    "It was formed in {{c1::March 2022::month and year}} and is reportedly part of Ukraine's "
    "International Legion."
)


class QuestionFactory(factory.django.DjangoModelFactory):
    """A typed-answer question; `with_choices=True` on kind multiple_choice adds four choices.

    `cloze=True` makes it a cloze of the article's second sentence, blanking "March 2022".
    """

    class Meta:
        model = "quizzes.Question"
        skip_postgeneration_save = True

    class Params:
        cloze = factory.Trait(
            kind="cloze",
            prompt=CLOZE_PROMPT,
            answer="March 2022",
            accepted_answers=["Mar 2022"],
            explanation="The article dates the Legion's formation to March 2022.",
            source_passage=CLOZE_TEXT,
            passage_offset=factory.LazyAttribute(lambda q: passage_offset(q.source_passage)),
        )

    slug = factory.Sequence(lambda n: f"question-{n}")
    category = factory.SubFactory(CategoryFactory, slug="dates")
    kind = "typed"
    prompt = factory.Sequence(lambda n: f"Question number {n}?")
    answer = "27 February 2022"
    accepted_answers = factory.LazyFunction(list)
    explanation = "The company commander said they crossed on that day."
    source_passage = "on 27 February 2022"
    passage_offset = 0
    position = factory.Sequence(int)

    @factory.post_generation
    def with_choices(obj, create, extracted, **kwargs):  # noqa: N805
        if not create or obj.kind in ("typed", "cloze"):
            return
        from quizzes.models import Choice

        if obj.kind == "true_false":
            texts = ["True", "False"]
        else:
            pool = ["10 March 2022", "5 April", "22 May 2023", "14 July 2022"]
            texts = [obj.answer, *[t for t in pool if t != obj.answer][:3]]
        Choice.objects.bulk_create(
            Choice(question=obj, text=text, is_correct=(text == obj.answer), order=i)
            for i, text in enumerate(texts)
        )
