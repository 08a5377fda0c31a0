"""What the admin's change lists accept: a date drill-down within the years dates can hold, and a
search of a bounded number of words. Django's own answered 500 past either (an outside audit)."""

from typing import Any

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import smart_split

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
            if asked and not (asked[-1].isdigit() and int(asked[-1]) in DRILL_DOWN_YEARS):
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


class ListsCheckedAdmin(DatesCheckedAdmin, SearchBoundedAdmin):
    """Both of the above."""
