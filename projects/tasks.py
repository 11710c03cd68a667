"""Celery tasks: each takes an id, does one step through a service, and is safe to run twice."""

from celery import shared_task

from .generation import pipeline


@shared_task(name="projects.submit_take", acks_late=True, ignore_result=True)
def submit_take(take_id: int) -> None:
    pipeline.take_submit(take_id)


@shared_task(name="projects.follow_take", acks_late=True, ignore_result=True)
def follow_take(take_id: int) -> None:
    pipeline.take_follow(take_id)


@shared_task(name="projects.download_take", acks_late=True, ignore_result=True)
def download_take(take_id: int) -> None:
    pipeline.take_download(take_id)


@shared_task(name="projects.sweep_takes", ignore_result=True)
def sweep_takes() -> None:
    pipeline.sweep()
