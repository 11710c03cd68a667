"""Races: many threads doing the same thing at the same moment, each reporting back."""

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def at_once(
    work: Callable[[int], T],
    times: int,
    *,
    expected: tuple[type[BaseException], ...] = (),
    timeout: float = 120,
) -> list[T | BaseException]:
    """Run `work(i)` in `times` threads released together; return what each returned, or the
    `expected` exception it raised.

    Fails unless every thread reported back and finished: a thread that dies on anything
    unexpected (a database error, say) fails the race instead of dropping out of the count.
    """
    barrier = threading.Barrier(times)
    outcomes: dict[int, T | BaseException] = {}
    died: dict[int, BaseException] = {}
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcome: T | BaseException = work(i)
        except expected as error:
            outcome = error
        except BaseException as error:  # reported below, with its traceback
            with lock:
                died[i] = error
            return
        finally:
            connection.close()
        with lock:
            outcomes[i] = outcome

    threads = [threading.Thread(target=run, args=(i,), name=f"race-{i}") for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    alive = [thread.name for thread in threads if thread.is_alive()]
    assert not alive, f"still running after {timeout} s: {alive}"
    if died:
        first = min(died)
        raise AssertionError(f"threads {sorted(died)} died: {died[first]!r}") from died[first]
    assert len(outcomes) == times, f"only {len(outcomes)} of {times} threads reported back"
    return [outcomes[i] for i in range(times)]
