"""The SQL count header the benchmark reads (bench/settings.py installs it; a test checks it)."""

from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, HttpResponse


class QueryCountHeaderMiddleware:
    """Add X-Query-Count: how many SQL statements the request ran (the benchmark reads it)."""

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
