"""asyncio.run for tests that may run after the browser tests: Playwright's sync API leaves
an event loop running in the main thread for the rest of the session, and asyncio.run refuses
to start inside one. A thread of its own has no loop."""

from __future__ import annotations

from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """The coroutine's result, run to completion by asyncio.run in a fresh thread; whatever
    it raises is raised here."""
    import asyncio

    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()
