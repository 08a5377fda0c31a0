"""Give the "Editors" group the permissions to read, add and change facts, as they do questions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FACT_PERMISSIONS = ["view_fact", "add_fact", "change_fact"]


def grant(apps, schema_editor):
    # The database being migrated (`migrate --database`), not always the default one.
    db = schema_editor.connection.alias
    # Permissions are normally created after all migrations; make sure the new model's exist now.
    app_config = apps.get_app_config("quizzes")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=db)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.using(db).get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.using(db).filter(content_type__app_label="quizzes", codename__in=FACT_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    # The database being migrated (`migrate --database`), not always the default one.
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.using(db).filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.using(db).filter(
                content_type__app_label="quizzes", codename__in=FACT_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0019_question_fact_required"),
        ("quizzes", "0010_editors_handle_reports"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
