"""Create the "Editors" group: staff in it may add and change questions and their choices."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "view_category",
    "add_question",
    "change_question",
    "view_question",
    "add_choice",
    "change_choice",
    "delete_choice",
    "view_choice",
]


def create_editors(apps, schema_editor):
    # The database being migrated (`migrate --database`), not always the default one.
    db = schema_editor.connection.alias
    # Permissions are normally created after all migrations; make sure ours exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=db)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.using(db).get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.using(db).filter(content_type__app_label="quizzes", codename__in=EDITOR_PERMISSIONS)
    )


def remove_editors(apps, schema_editor):
    # The database being migrated (`migrate --database`), not always the default one.
    db = schema_editor.connection.alias
    apps.get_model("auth", "Group").objects.using(db).filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_question_bank"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
