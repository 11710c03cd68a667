"""The race helper fails a race in which a thread died or never came back."""

import threading

import pytest

from tests.support.threads import at_once


def test_each_threads_outcome_comes_back_in_order():
    assert at_once(lambda i: i * i, 5) == [0, 1, 4, 9, 16]


def test_an_expected_refusal_is_an_outcome():
    def refuse(i):
        if i == 2:
            raise ValueError("over budget")
        return "ok"

    outcomes = at_once(refuse, 3, expected=(ValueError,))
    assert outcomes[:2] == ["ok", "ok"] and str(outcomes[2]) == "over budget"


def test_a_thread_that_dies_on_anything_else_fails_the_race():
    def die(i):
        if i == 1:
            raise RuntimeError("database went away")
        return "ok"

    with pytest.raises(AssertionError, match=r"threads \[1\] died: RuntimeError"):
        at_once(die, 3, expected=(ValueError,))


def test_a_thread_still_running_at_the_deadline_fails_the_race():
    release = threading.Event()
    try:
        with pytest.raises(AssertionError, match=r"still running after 0.2 s: \['race-0'\]"):
            at_once(lambda i: release.wait(30), 1, timeout=0.2)
    finally:
        release.set()
