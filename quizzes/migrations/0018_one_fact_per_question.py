"""Give every existing question a fact of its own, so a database keeps working before its bank is
reloaded: the fact takes the question's slug, answer, accepted forms (typed and cloze questions
only), passage and position, and its explanation as the claim. Reloading the grouped bank file
then moves questions under shared facts and deletes the facts left without questions."""

from django.db import migrations

# The kinds graded by typing (QuestionKind's values; a migration does not import the app's code).
TYPED_KINDS = ("typed", "cloze")


def facts_create(apps, schema_editor):
    # The database being migrated (`migrate --database`), not always the default one.
    db = schema_editor.connection.alias
    Fact = apps.get_model("quizzes", "Fact")
    Question = apps.get_model("quizzes", "Question")
    questions = list(Question.objects.using(db).filter(fact__isnull=True).order_by("position", "id"))
    Fact.objects.using(db).bulk_create(
        Fact(
            slug=q.slug,
            claim=q.explanation,
            answer=q.answer,
            accepted_answers=list(q.accepted_answers) if q.kind in TYPED_KINDS else [],
            source_passage=q.source_passage,
            passage_offset=q.passage_offset,
            position=q.position,
        )
        for q in questions
    )
    fact_ids = dict(Fact.objects.using(db).values_list("slug", "id"))
    for question in questions:
        question.fact_id = fact_ids[question.slug]
    Question.objects.using(db).bulk_update(questions, ["fact"], batch_size=500)


def accepted_restore(apps, schema_editor):
    # The database being migrated (`migrate --database`), not always the default one.
    db = schema_editor.connection.alias
    # Going back: each question takes its fact's forms again (the next step back drops facts).
    Question = apps.get_model("quizzes", "Question")
    questions = list(Question.objects.using(db).select_related("fact").filter(fact__isnull=False))
    for question in questions:
        if question.kind in TYPED_KINDS:
            question.accepted_answers = list(question.fact.accepted_answers)
    Question.objects.using(db).bulk_update(questions, ["accepted_answers"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0017_facts")]

    operations = [migrations.RunPython(facts_create, accepted_restore)]
