"""No index of ours that another already serves: an index on (a) next to one on (a, b) helps no
read, and every insert writes it (a quiz start writes twenty answers).

Read from the models, which the migrations follow (makemigrations --check in CI), rather than
from the database: Django's SQLite introspection cannot parse some of our tables."""

import re

import pytest
from django.apps import apps
from django.db import connection, models
from django.test.utils import isolate_apps

OUR_APPS = {"learnfrl", "quizzes"}


def _our_models() -> list[type[models.Model]]:
    """The models whose tables this project's migrations make."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and model._meta.managed
    ]


def _indexes(model: type[models.Model]) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The model's plain indexes and its unique ones, as column lists; partial ones (with a
    condition) hold only some rows and serve no read of all of them, so they are left out."""
    meta = model._meta
    plain: list[tuple[str, ...]] = []
    unique: list[tuple[str, ...]] = [(meta.pk.column,)]

    def columns(names) -> tuple[str, ...]:
        return tuple(
            str(meta.get_field(name.lstrip("-")).column)  # type: ignore[union-attr]
            for name in names
        )

    for field in meta.local_fields:
        if field.primary_key:
            continue
        if field.unique:
            unique.append((field.column,))
        elif field.db_index:  # type: ignore[attr-defined]
            plain.append((field.column,))
    for index in meta.indexes:
        if index.condition is None and index.fields:
            plain.append(columns(index.fields))
    for constraint in meta.constraints:
        unconditional = constraint.condition is None  # type: ignore[attr-defined]
        if isinstance(constraint, models.UniqueConstraint) and unconditional and constraint.fields:
            unique.append(columns(constraint.fields))
    unique.extend(columns(names) for names in meta.unique_together)
    return plain, unique


def _served() -> list[str]:
    found = []
    for model in _our_models():
        meta = model._meta
        plain, unique = _indexes(model)
        for at, columns in enumerate(plain):
            others = [*plain[:at], *plain[at + 1 :], *unique]
            serving = [wider for wider in others if wider[: len(columns)] == columns]
            if serving:
                found.append(f"{meta.db_table} {columns} is served by {serving[0]}")
    return found


def test_no_index_is_the_first_columns_of_another():
    assert _served() == []


@isolate_apps("quizzes")
def test_the_check_reads_a_foreign_key_index_and_the_composite_that_serves_it():
    class Probe(models.Model):
        attempt = models.ForeignKey("auth.User", on_delete=models.CASCADE)
        position = models.PositiveSmallIntegerField()

        class Meta:
            app_label = "quizzes"
            constraints = [
                models.UniqueConstraint(fields=["attempt", "position"], name="probe_unique")
            ]

        def __str__(self) -> str:
            return "probe"

    plain, unique = _indexes(Probe)
    assert plain == [("attempt_id",)]
    assert ("attempt_id", "position") in unique


def _present(cursor, table: str) -> set[str]:
    """The names of the table's indexes and constraints in the database."""
    if connection.vendor != "sqlite":
        return set(connection.introspection.get_constraints(cursor, table))
    # Django's SQLite introspection cannot parse some of our tables: read the schema itself
    # (a constraint is named in the table's statement, an index has a statement of its own).
    cursor.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL",
        [table],
    )
    names = set()
    for kind, name, sql in cursor.fetchall():
        if kind == "index":
            names.add(name)
        else:
            names.update(re.findall(r'CONSTRAINT "([^"]+)"', sql))
    return names


@pytest.mark.django_db
def test_every_constraint_and_index_the_models_declare_is_in_the_database():
    """Django's AlterField that drops a column's own index on PostgreSQL also drops the index of
    any constraint on that column alone (a partial unique one: one running quiz per learner),
    unless the migration puts it back: every one the models declare must be there."""
    missing = []
    with connection.cursor() as cursor:
        for model in _our_models():
            meta = model._meta
            present = _present(cursor, meta.db_table)
            missing += [
                f"{meta.db_table}.{item.name}"
                for item in (*meta.indexes, *meta.constraints)
                if item.name not in present
            ]
    assert missing == []


def _database_indexes(cursor, table: str) -> dict[str, tuple[str, ...]]:
    """The table's indexes in the database, with their columns in order."""
    if connection.vendor != "sqlite":
        return {
            name: tuple(about["columns"])
            for name, about in connection.introspection.get_constraints(cursor, table).items()
            if about["index"] and about["columns"]
        }
    cursor.execute(f"PRAGMA index_list({connection.ops.quote_name(table)})")
    names = [row[1] for row in cursor.fetchall()]
    indexes = {}
    for name in names:
        cursor.execute(f"PRAGMA index_info({connection.ops.quote_name(name)})")
        indexes[name] = tuple(row[2] for row in sorted(cursor.fetchall()))
    return indexes


@pytest.mark.django_db
def test_the_database_holds_no_index_the_models_do_not_declare():
    """Migration 0029 drops four indexes in the database only (the models change in its state):
    none may be left behind, nor any other the models do not account for."""
    stray = []
    with connection.cursor() as cursor:
        for model in _our_models():
            meta = model._meta
            plain, unique = _indexes(model)
            # Declared by name (partial ones included), or a field's own (Django names those).
            named = {item.name for item in (*meta.indexes, *meta.constraints)}
            stray += [
                f"{meta.db_table}.{name} {columns}"
                for name, columns in _database_indexes(cursor, meta.db_table).items()
                if name not in named and columns not in {*plain, *unique}
            ]
    assert stray == []
