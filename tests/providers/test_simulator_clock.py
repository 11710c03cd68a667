"""How a simulated job ages: with the clock (as the real APIs do) or one stage per status read."""

import time

import pytest

from providers.simulator.core import Simulator


def make(progress_by: str, step: float = 0.05) -> Simulator:
    return Simulator(step_seconds=step, progress_by=progress_by, video_path="unused.mp4")


def test_by_polls_every_read_moves_one_stage_whatever_the_clock_says():
    sim = make("polls", step=3600)
    job = sim.create_job("kling", "kling-v2-6", {})
    assert [sim.observe(job) for _ in range(5)] == [
        "queued",
        "running",
        "running",
        "succeeded",
        "succeeded",
    ]


def test_by_polls_looking_without_reading_does_not_age_the_job():
    sim = make("polls")
    job = sim.create_job("kling", "kling-v2-6", {})
    time.sleep(0.2)  # four steps of wall clock, no status read
    assert sim.state_of(job) == "queued" and sim.running_count("kling") == 1


def test_by_time_the_job_ages_with_the_clock():
    slow, fast = make("time", step=3600), make("time", step=0.01)
    waiting = slow.create_job("kling", "kling-v2-6", {})
    done = fast.create_job("kling", "kling-v2-6", {})
    time.sleep(0.1)  # ten steps of the fast one
    assert slow.observe(waiting) == "queued"
    assert fast.observe(done) == "succeeded" and fast.running_count("kling") == 0


@pytest.mark.parametrize("progress_by", ["time", "polls"])
def test_a_held_job_waits_before_its_normal_progression(progress_by):
    sim = make(progress_by, step=3600)
    job = sim.create_job("runway", "gen4.5", {})
    sim.hold(job, 2)
    assert sim.held(job) and sim.state_of(job) == "queued"


def test_a_fault_decides_the_outcome_in_either_mode():
    sim = make("polls")
    sim.add_fault("seedance", "moderation")
    job = sim.create_job("seedance", "seedance-1-5-pro", {})
    assert [sim.observe(job) for _ in range(4)][-1] == "rejected"


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="polls"):
        make("wall")
