"""What the development packages must hold for the benchmark to measure the app, not its client."""

import asyncio
from importlib.machinery import PathFinder
from unittest import mock

# Private, but the version is pinned in requirements-dev.txt: this is the function in question.
from httpcore import _synchronization


def test_httpcore_asks_for_its_async_library_without_searching_the_path():
    """httpcore imports sniffio each time it asks which async library runs, six times a request
    of the benchmark's client. Without sniffio installed (anyio stopped requiring it), each ask is
    a failed import that walks sys.path, a fifth of the client's CPU (encode/httpcore#1103)."""

    async def ask() -> list[str]:
        return [_synchronization.current_async_library() for _ in range(5)]

    with mock.patch.object(PathFinder, "find_spec", wraps=PathFinder.find_spec) as searched:
        libraries = asyncio.run(ask())
    assert libraries == ["asyncio"] * 5
    assert searched.call_count == 0
