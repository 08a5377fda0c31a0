"""Addresses saved before verification began count as verified (verified_at empty), but for those
that two or more accounts hold.

Those learners were never asked to verify, and a learner who has forgotten their password cannot
log in to do it: leaving their addresses unverified would end every reset they count on. So they
are trusted as they were, with the risk the audit named left open for them: an address someone
gave that is not theirs (or a typo'd one) keeps receiving that account's resets until it is
changed. An address that several accounts hold (the same but for capitals, as a reset matches
it, after NFKC) is where that risk is known to be real, since at most one of them is its owner's: those stay
unverified until each account's owner follows a link from the account page. To ask every earlier
account to verify as well, delete the rows whose verified_at is empty (README, "Your account").
"""

import unicodedata

from django.conf import settings
from django.db import migrations


def _folded(email: str) -> str:
    # As Django's reset form compares addresses (django.contrib.auth.forms._unicode_ci_compare).
    return unicodedata.normalize("NFKC", email).casefold()


def trust_addresses_held_alone(apps, schema_editor):
    # The database being migrated (`migrate --database`), not always the default one.
    db = schema_editor.connection.alias
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    EmailVerification = apps.get_model("learnfrl", "EmailVerification")
    holders: dict[str, list[tuple[int, str]]] = {}
    given = User.objects.using(db).exclude(email="").order_by("pk").values_list("pk", "email")
    for pk, email in given.iterator():
        holders.setdefault(_folded(email), []).append((pk, email))
    rows = [
        EmailVerification(user_id=pk, email=email, verified_at=None)
        for held in holders.values()
        if len(held) == 1
        for pk, email in held
    ]
    EmailVerification.objects.using(db).bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("learnfrl", "0002_email_verification"),
    ]

    operations = [
        migrations.RunPython(trust_addresses_held_alone, migrations.RunPython.noop),
    ]
