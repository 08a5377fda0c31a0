"""Statements built once: the rows a rating and a quiz answer read and write, by their columns.

Django's ORM builds and compiles every statement anew on each call: 0.25–0.45 ms here for reading
one card by its learner and question, against 0.02 ms for the statement itself, and a rating or a
quiz answer runs five or six such statements (a third of its time; docs/benchmarks.md, round
three, issue 21, fourth pass). These helpers build a statement's SQL once for each shape (model,
columns, database) from the model's own `_meta`, and pass each value through the model's field,
so a time, a JSON value or a foreign key is written and read exactly as the ORM writes and reads
it (time zones on SQLite, Jsonb on PostgreSQL). Only equality (and IS NULL) conditions on a
model's own columns: anything richer is the ORM's.

Writes must run inside `transaction.atomic`, as every write of a rating is on SQLite, where that
is what takes the writer's queue (learnfrl/sqlite); the exceptions are PostgreSQL's single
statements that write a row and then others (quizzes/chained_writes.py), each its own
transaction.
Nothing is sent through model signals (learnfrl has no save signal on these models; a test says
so).
"""

import contextlib
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache, partial
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import NOT_PROVIDED, Field, Model
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from quizzes.converters import model_converters, value_converter

M = TypeVar("M", bound=Model)
# A condition's shape: each column named, and whether it is compared to NULL.
Shape = tuple[tuple[str, bool], ...]


@cache
def _fields(model: type[Model]) -> dict[str, Field[Any, Any]]:
    return {field.attname: field for field in model._meta.concrete_fields}


def _field(model: type[Model], attname: str) -> Field[Any, Any]:
    try:
        return _fields(model)[attname]
    except KeyError:
        raise LookupError(f"{model.__name__} has no column {attname!r}") from None


def _column(model: type[Model], attname: str) -> str:
    return connection.ops.quote_name(_field(model, attname).column)


def _where(model: type[Model], where: Shape) -> str:
    """The condition on the columns named, each equal to a parameter or (True) NULL."""
    return " AND ".join(
        f"{_column(model, name)} IS NULL" if is_null else f"{_column(model, name)} = %s"
        for name, is_null in where
    )


@cache
def _select_sql(model: type[Model], where: Shape, vendor: str) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    return f"SELECT {select_list(model, 'r')} FROM {table} r WHERE {_where(model, where)}"


@cache
def _insert_sql(
    model: type[Model],
    names: tuple[str, ...],
    vendor: str,
    *,
    returning: bool = True,
    rows: int = 1,
) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_column(model, name) for name in names)
    values = ", ".join([f"({', '.join(['%s'] * len(names))})"] * rows)
    sql = f"INSERT INTO {table} ({columns}) VALUES {values}"
    if returning and connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {_column(model, model._meta.pk.attname)}"
    return sql


@cache
def _update_sql(model: type[Model], names: tuple[str, ...], where: Shape, vendor: str) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    assignments = ", ".join(f"{_column(model, name)} = %s" for name in names)
    return f"UPDATE {table} SET {assignments} WHERE {_where(model, where)}"


def _db() -> BaseDatabaseWrapper:
    """This thread's connection itself: `connection` is a proxy that looks it up on every
    attribute read, and a field preparing a value reads several (a quiz start's twenty answers
    spent a tenth of their insert there)."""
    return connections[DEFAULT_DB_ALIAS]


def _saved(model: type[Model], values: dict[str, Any]) -> list[Any]:
    db = _db()
    return [_field(model, name).get_db_prep_save(value, db) for name, value in values.items()]


def _compared(model: type[Model], where: dict[str, Any]) -> tuple[Shape, list[Any]]:
    db = _db()
    shape = tuple((name, value is None) for name, value in where.items())
    params = [
        _field(model, name).get_db_prep_value(value, db, prepared=False)
        for name, value in where.items()
        if value is not None
    ]
    return shape, params


class Read(NamedTuple):
    """A SELECT not yet sent, and how its rows (with their columns' names) become its result:
    reads_run sends it, alone or with others."""

    sql: str
    params: list[Any]
    result: Callable[[list[str], list[tuple[Any, ...]]], Any]


def reads_run(*reads: Read) -> list[Any]:
    """Each read's result, in order. On PostgreSQL several go to the server together, in one
    round trip (psycopg's pipeline mode), where each was one; elsewhere one after another."""
    db = _db()
    # As Django's own cursors do: a kept connection found dead is replaced before the reads (in
    # a pipeline the check's own statement would only be queued, and see nothing).
    db.close_if_health_check_failed()
    db.ensure_connection()
    with contextlib.ExitStack() as cursors:
        sent = []
        pipelined = len(reads) > 1 and db.vendor == "postgresql"
        with (
            db.wrap_database_errors,
            db.connection.pipeline() if pipelined else contextlib.nullcontext(),
        ):
            for read in reads:
                cursor = cursors.enter_context(db.cursor())
                cursor.execute(read.sql, read.params)
                sent.append(cursor)
        return [
            read.result([column[0] for column in cursor.description], cursor.fetchall())
            for read, cursor in zip(reads, sent, strict=True)
        ]


def get_read(model: type[M], **where: Any) -> Read:
    """row_get's read, for reads_run."""
    shape, params = _compared(model, where)
    return Read(_select_sql(model, shape, connection.vendor), params, partial(_got, model))


def _got(model: type[M], names: list[str], rows: list[tuple[Any, ...]]) -> M | None:
    return row_built(model, dict(zip(names, rows[0], strict=True)), "r") if rows else None


def row_get(model: type[M], **where: Any) -> M | None:
    """The row whose columns (by attname: `user_id`, not `user`) equal `where`, as the model;
    None if there is none. The columns named should be unique together: the first row is taken."""
    found: M | None = reads_run(get_read(model, **where))[0]
    return found


def table_names(**models: type[Model]) -> dict[str, str]:
    """Each model's table, quoted for this database, under the name a statement's text gives it
    (`{cards}`), for SQL written by hand."""
    quote = connection.ops.quote_name
    return {role: quote(model._meta.db_table) for role, model in models.items()}


@cache
def _values_sql(model: type[Model], names: tuple[str, ...], where: Shape, vendor: str) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_column(model, name) for name in names)
    return f"SELECT {columns} FROM {table} WHERE {_where(model, where)}"


@cache
def _row_type(model: type[Model], names: tuple[str, ...]) -> Any:
    return namedtuple(f"{model.__name__}Values", names)


def values_read(model: type[Model], names: tuple[str, ...], **where: Any) -> Read:
    """rows_values's read, for reads_run."""
    if not where:
        raise ValueError("rows_values reads the rows its conditions name: give at least one")
    shape, params = _compared(model, where)
    for name in names:
        _field(model, name)  # an unknown column is refused by name
    sql = _values_sql(model, names, shape, connection.vendor)
    return Read(sql, params, partial(_values_built, model, names))


def _values_built(
    model: type[Model], names: tuple[str, ...], _columns: list[str], rows: list[tuple[Any, ...]]
) -> list[Any]:
    db = _db()
    by_name = {
        attname: (column, convert) for attname, column, convert in model_converters(db, model)
    }
    converted = [
        (i, value_converter(db, *by_name[name])) for i, name in enumerate(names) if by_name[name][1]
    ]
    make = _row_type(model, names)._make
    if not converted:
        return [make(row) for row in rows]
    built = []
    for row in rows:
        values = list(row)
        for i, convert in converted:
            values[i] = convert(values[i])
        built.append(make(values))
    return built


def rows_values(model: type[Model], names: tuple[str, ...], **where: Any) -> list[Any]:
    """The columns `names` of every row whose columns equal `where`, each row a named tuple of
    values read as `values_list(*names, named=True)` reads them (a time on SQLite converted)."""
    values: list[Any] = reads_run(values_read(model, names, **where))[0]
    return values


def rows_insert(model: type[Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert new rows of `model`, each given as the same columns (by attname: `user_id`) and
    their values, many rows a statement (as `bulk_create` writes them, without its compiling or
    its instances: making twenty was a fifth of a quiz start; running a statement for each row,
    a tenth). Each value passes through its field, as the ORM writes it; a column
    the rows leave out takes its field's default (a callable one called for each row). Their
    primary keys are not read back."""
    if not rows:
        return
    db = _db()
    columns, params = rows_prepared(model, rows)
    # As many rows a statement as the database takes parameters: SQLite's 999, PostgreSQL's
    # 65,535 with server-side binding (Django gives no limit there).
    batch = max(1, (db.features.max_query_params or 65_535) // len(columns))
    with transaction.mark_for_rollback_on_error(), db.cursor() as cursor:
        for start in range(0, len(params), batch):
            chunk = params[start : start + batch]
            sql = _insert_sql(model, columns, db.vendor, returning=False, rows=len(chunk))
            cursor.execute(sql, [value for row in chunk for value in row])


def rows_prepared(
    model: type[Model], rows: Sequence[Mapping[str, Any]], *, besides: tuple[str, ...] = ()
) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The columns new rows of `model` are inserted with and each row's values as the ORM
    writes them: the columns the rows name (the same in each), then those they leave out with
    their fields' defaults (a callable one called for each row), but for the columns `besides`
    the statement sets itself."""
    names = tuple(rows[0])
    if any(tuple(row) != names for row in rows):
        raise ValueError("Rows inserted together name the same columns, in one order")
    pk = model._meta.pk
    fields = [_field(model, name) for name in names]  # an unknown column is refused by name
    if pk in fields:
        raise ValueError("Rows inserted are new rows: their primary keys are the database's")
    left_out = [
        f
        for f in model._meta.concrete_fields
        if f is not pk and f.attname not in names and f.attname not in besides
    ]
    for field in left_out:
        # What the ORM would set at the insert (a time) or leave to the database: name them.
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            raise ValueError(f"Rows inserted need {field.attname!r}: the ORM sets it at the insert")
        if getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            raise ValueError(f"Rows inserted need {field.attname!r}: its default is the database's")
    # A constant default is prepared once for every row; a callable one (a time, a new list) is
    # called for each row, as the ORM calls it for each instance.
    each = [f for f in left_out if callable(f.default)]
    once = [f for f in left_out if not callable(f.default)]
    db = _db()
    shared = [field.get_db_prep_save(field.get_default(), db) for field in once]
    params = [
        [field.get_db_prep_save(row[field.attname], db) for field in fields]
        + [field.get_db_prep_save(field.get_default(), db) for field in each]
        + shared
        for row in rows
    ]
    return (*names, *(f.attname for f in each), *(f.attname for f in once)), params


def execute_planned_once(cursor: Any, sql: str, params: Mapping[str, Any] | Sequence[Any]) -> None:
    """Run a statement that PostgreSQL would otherwise plan anew on every run with its generic
    plan, made once per connection, when prepared statements are on (settings.py): the setting
    said before it and taken back after it, the three sent together in psycopg's pipeline mode
    (one round trip, not three). Only for statements measured to gain: forced for every
    statement, others ran slower. Elsewhere, and on SQLite, simply run."""
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    try:
        with (
            connection.wrap_database_errors,
            connection.connection.pipeline(),
            connection.cursor() as setting,
        ):
            setting.execute("SET plan_cache_mode = force_generic_plan")
            cursor.execute(sql, params)
            setting.execute("RESET plan_cache_mode")
    except Exception:
        # A failed statement skips the rest of the pipeline. Inside a transaction its rollback
        # takes the setting back; outside one, it is taken back here.
        if not connection.in_atomic_block:
            with connection.cursor() as setting:
                setting.execute("RESET plan_cache_mode")
        raise


def row_insert(instance: Model) -> None:
    """Insert the unsaved `instance` with every column it has (its primary key is then set), as
    `save(force_insert=True)` does without the ORM's compiling."""
    model = type(instance)
    values = _inserted(instance)
    sql = _insert_sql(model, tuple(values), connection.vendor)
    # As the ORM's writes: an error marks the caller's transaction for rollback.
    with transaction.mark_for_rollback_on_error(), connection.cursor() as cursor:
        cursor.execute(sql, _saved(model, values))
        new_id = (
            cursor.fetchone()[0]
            if connection.features.can_return_columns_from_insert
            else cursor.lastrowid
        )
    _mark_saved(instance, new_id)


def _mark_saved(instance: Model, pk: Any) -> None:
    """Give an instance this module inserted its key, and mark it saved as the ORM does."""
    setattr(instance, type(instance)._meta.pk.attname, pk)
    instance._state.adding = False
    instance._state.db = connection.alias


def _inserted(instance: Model) -> dict[str, Any]:
    """The columns of an unsaved instance as the ORM inserts them (auto_now_add sets the time)."""
    model = type(instance)
    pk = model._meta.pk
    if getattr(instance, pk.attname) is not None:
        raise ValueError(f"{model.__name__} is saved already: an insert makes new rows only")
    return {
        field.attname: field.pre_save(instance, True)
        for field in model._meta.concrete_fields
        if field is not pk
    }


def row_update(model: type[Model], *, where: dict[str, Any], values: dict[str, Any]) -> int:
    """Set `values` on the rows whose columns equal `where` (None: IS NULL); how many changed."""
    shape, compared = _compared(model, where)
    sql = _update_sql(model, tuple(values), shape, connection.vendor)
    with transaction.mark_for_rollback_on_error(), connection.cursor() as cursor:
        cursor.execute(sql, [*_saved(model, values), *compared])
        changed: int = cursor.rowcount
        return changed


# --- several models in one statement: each model's columns under an alias of its own ----------


@cache
def _select_list(model: type[Model], alias: str, vendor: str) -> str:
    quote = connection.ops.quote_name
    return ", ".join(
        f"{quote(alias)}.{quote(field.column)} AS {quote(f'{alias}__{field.attname}')}"
        for field in model._meta.concrete_fields
    )


def select_list(model: type[Model], alias: str) -> str:
    """The model's columns for a SELECT, from the table named `alias` in it, each read back by
    row_built(model, row, alias)."""
    return _select_list(model, alias, connection.vendor)


def rows_fetched(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows of a SELECT, each by its columns' aliases."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def row_built(model: type[M], row: Mapping[str, Any], alias: str) -> M:
    """The model instance whose columns a row read under `alias` (select_list) holds."""
    db = _db()
    names, values = [], []
    for attname, column, converters in model_converters(db, model):
        value = row[f"{alias}__{attname}"]
        for converter in converters:
            value = converter(value, column, db)
        names.append(attname)
        values.append(value)
    return model.from_db(connection.alias, names, values)


def datetime_read(value: datetime | str | None) -> datetime | None:
    """A time a hand-written statement wrote into JSON (or a datetime column fetched by raw
    SQL), as an aware datetime.

    PostgreSQL writes it in ISO form, with its offset or, taken to UTC first (the cards' due
    times), without one. SQLite stores times in UTC without a zone and gives them as that text,
    or, for a column whose declared type it knows, as a naive datetime. Without an offset, UTC
    (taking a naive one as it came made the page read it in the site's TIME_ZONE: off by the
    zone's offset).
    """
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else parse_datetime(value)
    if parsed is None:
        raise ValueError(f"Not a datetime: {value!r}")
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def ids_read(value: list[int] | str | None) -> list[int]:
    """The ids an aggregate gave: PostgreSQL's array, SQLite's text joined by commas, or NULL
    when there were none."""
    if value is None:
        return []
    return value if isinstance(value, list) else [int(part) for part in value.split(",")]
