"""Each account's folded name (NFKC, case-folded) held by one account: the accounts there are
hold theirs, the oldest first where two fold to one name (the later is left without, so its
log-ins and resets cannot lift the older one's pause)."""

import hashlib
import unicodedata

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _digest(username: str) -> str:
    # learnfrl.accounts.idents.ident_digest as it is at this migration.
    folded = unicodedata.normalize("NFKC", username.strip()).casefold()
    return hashlib.sha256(folded.encode()).hexdigest()


def hold_names(apps, schema_editor):
    # The database being migrated (`migrate --database`), not always the default one.
    db = schema_editor.connection.alias
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    AccountIdent = apps.get_model("learnfrl", "AccountIdent")
    held: set[str] = set()
    rows = []
    for pk, username in User.objects.using(db).order_by("pk").values_list("pk", "username").iterator():
        digest = _digest(username)
        if digest not in held:
            held.add(digest)
            rows.append(AccountIdent(user_id=pk, digest=digest))
    AccountIdent.objects.using(db).bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AccountIdent",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("digest", models.CharField(max_length=64, unique=True)),
            ],
        ),
        migrations.RunPython(hold_names, migrations.RunPython.noop),
    ]
