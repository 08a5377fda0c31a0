"""What the development packages must hold for the benchmark to measure the app, not its client."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
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

    # A loop of its own, in a thread of its own: a browser test in the same process may have left
    # this thread's loop running.
    with (
        mock.patch.object(PathFinder, "find_spec", wraps=PathFinder.find_spec) as searched,
        ThreadPoolExecutor(1) as thread,
    ):
        libraries = thread.submit(asyncio.run, ask()).result()
    assert libraries == ["asyncio"] * 5
    # Only its own searches count: another thread may import something meanwhile.
    assert [c for c in searched.call_args_list if c.args[0] == "sniffio"] == []
