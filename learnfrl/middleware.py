"""Site middleware: an opt-in count of SQL queries per response, for the benchmark."""

from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, HttpResponse


class QueryCountHeaderMiddleware:
    """Add X-Query-Count (SQL statements run for the request) when QUERY_COUNT_HEADER is on.

    Only installed when the setting is on, so production pays nothing for it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
