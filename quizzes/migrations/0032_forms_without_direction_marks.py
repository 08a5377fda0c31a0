"""A fact's accepted forms without the characters that reorder text (direction marks, embeddings,
overrides, isolates): "Accept" in the editors' queue took a learner's phrasing with them before
forms refused them, and such a form left the fact's admin page unsavable and its export
unloadable. Each is made a space, as the grader reads it; a form that then repeats one already
there is dropped."""

from django.db import migrations

CONTROLS = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
SPACED = dict.fromkeys(CONTROLS, " ")


def forms_cleaned(apps, schema_editor):
    Fact = apps.get_model("quizzes", "Fact")
    for fact in Fact.objects.only("id", "accepted_answers").iterator():
        forms = fact.accepted_answers or []
        if not any(ord(char) in SPACED for form in forms for char in form):
            continue
        kept: list[str] = []
        for form in forms:
            cleaned = " ".join(form.translate(SPACED).split())
            if cleaned and cleaned not in kept:
                kept.append(cleaned)
        Fact.objects.filter(pk=fact.pk).update(accepted_answers=kept)


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0031_category_updated_at")]

    operations = [migrations.RunPython(forms_cleaned, migrations.RunPython.noop)]
