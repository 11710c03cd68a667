"""Celery tasks: each takes an id, does one step through a service, and is safe to run twice.

A take step first marks its message picked up (services.work.picked_up), so the sweeper sends
no second copy while it runs, and sends one again if this worker dies (docs/decisions/011)."""

import logging

from celery import shared_task

from projects.pipeline.check import take_check
from projects.pipeline.deliverables import deliverable_make
from projects.pipeline.download import take_download
from projects.pipeline.emails import email_digests, email_notification
from projects.pipeline.follow import take_follow
from projects.pipeline.submit import take_submit
from projects.pipeline.sweeper import sweep
from projects.selectors.books import books_out_of_balance
from projects.services import work

logger = logging.getLogger(__name__)


@shared_task(name="projects.submit_take", acks_late=True, ignore_result=True)
def submit_take(take_id: int) -> None:
    work.picked_up(work.SUBMIT, take_id)
    take_submit(take_id)


@shared_task(name="projects.follow_take", acks_late=True, ignore_result=True)
def follow_take(take_id: int) -> None:
    work.picked_up(work.FOLLOW, take_id)
    take_follow(take_id)


@shared_task(name="projects.download_take", acks_late=True, ignore_result=True)
def download_take(take_id: int) -> None:
    work.picked_up(work.DOWNLOAD, take_id)
    take_download(take_id)


@shared_task(name="projects.check_take", acks_late=True, ignore_result=True)
def check_take(take_id: int) -> None:
    work.picked_up(work.CHECK, take_id)
    take_check(take_id)


@shared_task(name="projects.sweep_takes", ignore_result=True)
def sweep_takes() -> None:
    sweep()


@shared_task(name="projects.check_books", ignore_result=True)
def check_books() -> None:
    for problem in books_out_of_balance():
        logger.error("Books out of balance: %s", problem)


@shared_task(name="projects.email_notification", acks_late=True, ignore_result=True)
def email_notification_task(notification_id: int) -> None:
    email_notification(notification_id)


@shared_task(name="projects.email_digests", ignore_result=True)
def email_digests_task() -> None:
    email_digests()


@shared_task(name="projects.render_animatic", acks_late=True, ignore_result=True)
def render_animatic_task(deliverable_id: int) -> None:
    deliverable_make(deliverable_id)


@shared_task(name="projects.pack_editor_package", acks_late=True, ignore_result=True)
def pack_editor_package_task(deliverable_id: int) -> None:
    deliverable_make(deliverable_id)
