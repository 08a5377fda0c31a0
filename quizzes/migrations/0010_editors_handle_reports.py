"""Give the "Editors" group the permissions to read learners' reports and mark them fixed or
rejected (reports come from learners, so editors neither add nor delete them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORT_PERMISSIONS = ["view_questionreport", "change_questionreport"]


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
        *Permission.objects.using(db).filter(
            content_type__app_label="quizzes", codename__in=REPORT_PERMISSIONS
        )
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
                content_type__app_label="quizzes", codename__in=REPORT_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0009_question_reports"),
        ("quizzes", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
