"""PostgreSQL's one-statement writes: a row written in a WITH clause, and the rows that go with it
written only if it was, in one statement, which is its own transaction (no BEGIN and COMMIT: three
round trips fewer a write; docs/benchmarks.md). Built as quizzes/statements.py builds its
statements, from the models' `_meta`, each value passed through its field as the ORM writes it.

They build their SQL with quizzes/statements.py's own builders (its private helpers: the same
statements, in a module of their own for its length). Their conditions (a review count unchanged,
no row there yet) assume READ COMMITTED, PostgreSQL's and Django's default: at REPEATABLE READ a
row changed since the statement's snapshot is a serialization failure instead.
"""

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model

from quizzes.statements import (
    Shape,
    _column,
    _compared,
    _field,
    _insert_sql,
    _inserted,
    _mark_saved,
    _saved,
    _update_sql,
    rows_prepared,
)


@cache
def _update_then_insert_sql(
    updated: type[Model],
    names: tuple[str, ...],
    where: Shape,
    inserted: type[Model],
    inserted_names: tuple[str, ...],
    vendor: str,
) -> str:
    return (
        f"WITH updated AS ({_update_sql(updated, names, where, vendor)} RETURNING 1) "
        + _insert_from_sql(inserted, inserted_names, "updated")
    )


def _insert_from_sql(model: type[Model], names: tuple[str, ...], written: str) -> str:
    """The INSERT of a one-statement write: a row of `model` for each row the WITH clause named
    `written` returned (one, or none when it wrote nothing), its key returned."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_column(model, name) for name in names)
    # Values selected (not a VALUES list) take no type from the columns: each is cast to its own.
    values = ", ".join(f"CAST(%s AS {_cast_type(_field(model, name))})" for name in names)
    pk = _column(model, model._meta.pk.attname)
    return f"INSERT INTO {table} ({columns}) SELECT {values} FROM {written} RETURNING {pk}"


def _cast_type(field: Field[Any, Any]) -> str:
    """The column's type for a cast, without a character column's length: a cast to varchar(16)
    would cut a longer text short, where the insert itself refuses it as the ORM's does."""
    return re.sub(r"^varchar\(\d+\)$", "varchar", str(field.db_type(connection)))


def row_update_then_insert(
    model: type[Model], *, where: dict[str, Any], values: dict[str, Any], instance: Model
) -> bool:
    """PostgreSQL: set `values` on the one row whose columns equal `where` and, only if it
    changed, insert the unsaved `instance` (its primary key is then set), in one statement;
    whether it changed. One statement is one transaction: no BEGIN and COMMIT of its own."""
    if connection.vendor != "postgresql":
        raise NotImplementedError("A write in a WITH clause is PostgreSQL's")
    shape, compared = _compared(model, where)
    inserted = _inserted(instance)
    sql = _update_then_insert_sql(
        model, tuple(values), shape, type(instance), tuple(inserted), connection.vendor
    )
    params = [*_saved(model, values), *compared, *_saved(type(instance), inserted)]
    return _written_then_inserted(sql, params, instance)


def _written_then_inserted(sql: str, params: list[Any], instance: Model) -> bool:
    """Run a one-statement write; whether it inserted `instance` (then given its key)."""
    with transaction.mark_for_rollback_on_error(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    _mark_saved(instance, row[0])
    return True


@cache
def _insert_then_insert_sql(
    first: type[Model],
    names: tuple[str, ...],
    unique: tuple[str, ...],
    then: type[Model],
    then_names: tuple[str, ...],
    vendor: str,
) -> str:
    columns = ", ".join(_column(first, name) for name in unique)
    inserted = _insert_sql(first, names, vendor, returning=False)
    return (
        f"WITH created AS ({inserted} ON CONFLICT ({columns}) DO NOTHING RETURNING 1) "
        + _insert_from_sql(then, then_names, "created")
    )


def row_insert_then_insert(first: Model, *, unique: Sequence[str], then: Model) -> bool:
    """PostgreSQL: insert the unsaved `first` unless a row with its values of the `unique`
    columns (a unique constraint's) is there already and, only if it was inserted, the unsaved
    `then` (its primary key is then set; `first` is not given its own), in one statement; whether
    they were inserted. One statement is one transaction: no BEGIN and COMMIT of its own. A row
    already there (another request's, committed; one not yet committed is waited for) is no
    error: a caller's transaction goes on, and the caller may read it and try again."""
    if connection.vendor != "postgresql":
        raise NotImplementedError("A write in a WITH clause is PostgreSQL's")
    values, then_values = _inserted(first), _inserted(then)
    sql = _insert_then_insert_sql(
        type(first),
        tuple(values),
        tuple(unique),
        type(then),
        tuple(then_values),
        connection.vendor,
    )
    params = [*_saved(type(first), values), *_saved(type(then), then_values)]
    return _written_then_inserted(sql, params, then)


@cache
def _insert_then_rows_sql(
    first: type[Model],
    names: tuple[str, ...],
    unique: tuple[str, ...],
    unique_where: tuple[tuple[str, str], ...],
    then: type[Model],
    link: str,
    then_names: tuple[str, ...],
    vendor: str,
) -> str:
    inserted = _insert_sql(first, names, vendor, returning=False)
    # The unique index named by its columns and, for a partial one, its condition (as literals:
    # an index is matched to the condition's text, not to a parameter's value).
    target = ", ".join(_column(first, name) for name in unique)
    if unique_where:
        target += ") WHERE (" + " AND ".join(
            f"{_column(first, name)} = '{value}'" for name, value in unique_where
        )
    pk = _column(first, first._meta.pk.attname)
    table = connection.ops.quote_name(then._meta.db_table)
    columns = ", ".join(_column(then, name) for name in (link, *then_names))
    # The rows come column by column, an array of each column's values cast to the column's
    # type, and unnest() deals them out again: a parameter a column, not one a value (a quiz's
    # 180), so the statement's text is the same for any number of rows and psycopg converts it
    # once, not on every start (it caches no statement of more than 50 parameters).
    arrays = ", ".join(f"CAST(%s AS {_cast_type(_field(then, name))}[])" for name in then_names)
    return (
        f"WITH created AS ({inserted} ON CONFLICT ({target}) DO NOTHING RETURNING {pk}), "
        f"added AS (INSERT INTO {table} ({columns}) SELECT created.{pk}, v.* FROM created, "
        f"unnest({arrays}) AS v) "
        f"SELECT {pk} FROM created"
    )


def row_insert_then_rows(
    first: Model,
    *,
    unique: Sequence[str],
    unique_where: Mapping[str, str] | None = None,
    then: type[Model],
    link: str,
    rows: Sequence[Mapping[str, Any]],
) -> bool:
    """PostgreSQL: insert the unsaved `first` unless the unique index on its `unique` columns
    (partial: where the columns `unique_where` names hold those texts) has a row like it already
    and, only if it was inserted, the `rows` of `then` (as rows_insert takes them, their column
    `link` left out and set to `first`'s key), in one statement; whether they were inserted
    (`first` is then given its key). A row already there is no error: a caller's transaction goes
    on. Any other broken constraint is the IntegrityError it would be, and writes nothing."""
    if connection.vendor != "postgresql":
        raise NotImplementedError("A write in a WITH clause is PostgreSQL's")
    if not rows:
        raise ValueError("row_insert_then_rows inserts rows with the first: give at least one")
    if any(link in row for row in rows):
        raise ValueError(f"row_insert_then_rows sets {link!r} itself: leave it out of the rows")
    where = tuple((name, str(value)) for name, value in (unique_where or {}).items())
    if any("'" in value for _name, value in where):
        raise ValueError("a unique index's condition here is a plain text, without quotes")
    values = _inserted(first)
    then_names, params = rows_prepared(then, rows, besides=(link,))
    sql = _insert_then_rows_sql(
        type(first),
        tuple(values),
        tuple(unique),
        where,
        then,
        link,
        then_names,
        connection.vendor,
    )
    columns = [list(column) for column in zip(*params, strict=True)]
    return _written_then_inserted(sql, [*_saved(type(first), values), *columns], first)
