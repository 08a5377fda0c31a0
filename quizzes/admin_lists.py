"""What the admin's change lists accept: a date drill-down within the years dates can hold, a
search of a bounded number of words, only the filters the list offers, and ids for its actions.
Django's own answered 500 past each (outside audits)."""

import re
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.text import smart_split

from learnfrl.parsing import ID_PATTERN

# The years a date drill-down may ask for: one more at either end and a day's date, changed to or
# from UTC, falls outside what Python's dates and the databases hold (a 500, not a filter).
DRILL_DOWN_YEARS = range(2, 9999)


class DatesCheckedChangeList(ChangeList):
    """Django's change list, whose date drill-down refuses a year out of DRILL_DOWN_YEARS (one of
    twenty digits overflowed, 9999 has no next year, year 1 in Tokyo is year 0 in UTC) as it does a
    month 13: the list again with its "invalid filter" notice, where Django's own answered 500."""

    def get_filters(self, request: HttpRequest) -> Any:
        if self.date_hierarchy:
            asked = request.GET.getlist(f"{self.date_hierarchy}__year")
            # ASCII digits only: "²" is a digit to str.isdigit(), and no number to int().
            year = asked[-1] if asked else ""
            if asked and not (re.fullmatch("[0-9]{1,4}", year) and int(year) in DRILL_DOWN_YEARS):
                raise IncorrectLookupParameters(f"There is no year {asked[-1]!r} to show.")
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:  # a month or a day that overflows
            raise IncorrectLookupParameters(error) from error


class DatesCheckedAdmin:
    """A model admin whose date drill-down is DatesCheckedChangeList's."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return DatesCheckedChangeList


# The most words a change list's search looks for: each is a condition on every search field, and
# 1,500 of them nested past what SQLite evaluates (a 500, after 1.7 s).
SEARCH_WORDS_MOST = 20


class SearchBoundedAdmin:
    """A model admin whose search refuses more than SEARCH_WORDS_MOST words, saying so."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        if sum(1 for _ in smart_split(search_term)) > SEARCH_WORDS_MOST:
            messages.warning(
                request, f"Search for at most {SEARCH_WORDS_MOST} words at a time; nothing shown."
            )
            return queryset.none(), False
        found: tuple[QuerySet[Any], bool] = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        return found


class FiltersCheckedAdmin:
    """A model admin whose address may filter only as its list's filters do: by a value, or by
    none; a date filter's bounds; a related object's id (ID_PATTERN, as the list's links give it).
    Django lets an address filter any of the model's own fields with any lookup:
    "?prompt__regex=[" reached the database and answered 500, as did a related id of twenty
    digits on SQLite. Any other is refused with a 400, as Django refuses a lookup across a
    relation it does not offer."""

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        allowed = _filter_lookups(self, getattr(self, "model", None))
        if lookup not in allowed:
            return False
        pattern = allowed[lookup]
        return pattern is None or re.fullmatch(pattern, value) is not None


def _filter_lookups(model_admin: object, model: Any) -> dict[str, str | None]:
    """Each lookup the admin's list filters make, with the pattern its value must match."""
    allowed: dict[str, str | None] = {}
    for item in getattr(model_admin, "list_filter", ()):
        if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
            allowed[str(item.parameter_name)] = None
            continue
        path = item[0] if isinstance(item, (tuple, list)) else item
        field = get_fields_from_path(model, path)[-1]
        if isinstance(field, models.ForeignKey):
            allowed[f"{path}__{field.target_field.name}__exact"] = ID_PATTERN
            allowed[f"{path}__isnull"] = None
            continue
        dated = isinstance(field, models.DateField)
        ends = ("gte", "lt", "isnull") if dated else ("exact", "isnull")
        allowed.update({f"{path}__{end}": None for end in ends})
    if hierarchy := getattr(model_admin, "date_hierarchy", None):
        allowed.update({f"{hierarchy}__{end}": None for end in ("year", "month", "day")})
    return allowed


class ActionIdsCheckedAdmin:
    """A model admin whose actions take only ids as the list's boxes send them (ID_PATTERN): a
    forged "abc" or "²" reached the queryset's filter and answered 500. Refused with a message,
    nothing done."""

    def response_action(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if any(not re.fullmatch(ID_PATTERN, value) for value in selected):
            messages.error(request, "Those are not items of this list: nothing was done.")
            return HttpResponseRedirect(request.get_full_path())
        response: HttpResponse | None = super().response_action(  # type: ignore[misc]
            request, queryset
        )
        return response


class ListsCheckedAdmin(
    DatesCheckedAdmin, SearchBoundedAdmin, FiltersCheckedAdmin, ActionIdsCheckedAdmin
):
    """All of the above."""
