"""Celery tasks: each takes an id, does one step through a service, and is safe to run twice."""

import logging

from celery import shared_task

from .books import books_out_of_balance
from .generation import pipeline

logger = logging.getLogger(__name__)


@shared_task(name="projects.submit_take", acks_late=True, ignore_result=True)
def submit_take(take_id: int) -> None:
    pipeline.take_submit(take_id)


@shared_task(name="projects.follow_take", acks_late=True, ignore_result=True)
def follow_take(take_id: int) -> None:
    pipeline.take_follow(take_id)


@shared_task(name="projects.download_take", acks_late=True, ignore_result=True)
def download_take(take_id: int) -> None:
    pipeline.take_download(take_id)


@shared_task(name="projects.check_take", acks_late=True, ignore_result=True)
def check_take(take_id: int) -> None:
    pipeline.take_check(take_id)


@shared_task(name="projects.sweep_takes", ignore_result=True)
def sweep_takes() -> None:
    pipeline.sweep()


@shared_task(name="projects.check_books", ignore_result=True)
def check_books() -> None:
    for problem in books_out_of_balance():
        logger.error("Books out of balance: %s", problem)
