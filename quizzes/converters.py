"""Values read by the statements of quizzes.statements turned into what the ORM gives: each
column's converters (Django's, and its field's own), as the ORM applies them."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.utils.dateparse import parse_datetime

Converter = Callable[[Any, Any, Any], Any]


def model_converters(
    db: BaseDatabaseWrapper, model: type[Model]
) -> tuple[tuple[str, Any, list[Converter]], ...]:
    """Each column with its converters, as the ORM applies them to a value read (a time on
    SQLite), and the column expression they are called with. Kept on the connection's own
    operations (one connection a thread), whose methods some of them are, and gone with them."""
    ops = db.ops
    kept: dict[type[Model], tuple[tuple[str, Any, list[Converter]], ...]] = ops.__dict__.setdefault(
        "learnfrl_converters", {}
    )
    if model not in kept:
        table = model._meta.db_table
        columns = []
        for field in model._meta.concrete_fields:
            column = field.get_col(table)
            # Field.get_db_converters is Django's, though django-stubs does not declare it.
            own: list[Converter] = getattr(field, "get_db_converters")(db)  # noqa: B009
            columns.append((field.attname, column, ops.get_db_converters(column) + own))
        kept[model] = tuple(columns)
    return kept[model]


def value_converter(
    db: BaseDatabaseWrapper, column: Any, converters: list[Converter]
) -> Callable[[Any], Any]:
    """A column's converters as one function of a value, made for one read of many rows.

    A time on SQLite is the one made anew: Django's converter looks the USE_TZ setting up for
    every value, and whether the time has a zone twice (reading a quiz start's 125 cards took
    285 µs with it, 234 µs without; docs/benchmarks.md, sixteenth pass). Here the setting is
    read once a read, and a time read without a zone (all of SQLite's) takes the connection's,
    as Django's own converter gives it.
    """
    # SQLite's DatabaseOperations has the method; django-stubs declares only the base class.
    sqlite_times = getattr(db.ops, "convert_datetimefield_value", None)
    if db.vendor == "sqlite" and converters == [sqlite_times]:
        if not settings.USE_TZ:
            return lambda value: value if value is None else _datetime_parsed(value)
        zone = db.timezone

        def aware(value: Any) -> Any:
            if value is None:
                return None
            value = _datetime_parsed(value)
            return value if value.utcoffset() is not None else value.replace(tzinfo=zone)

        return aware

    def convert(value: Any) -> Any:
        for converter in converters:
            value = converter(value, column, db)
        return value

    return convert


def _datetime_parsed(value: Any) -> datetime:
    # SQLite's declared type has the driver give a datetime already; an expression gives text.
    return value if isinstance(value, datetime) else parse_datetime(value)  # type: ignore[return-value]
