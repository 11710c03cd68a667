from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(name="studio.heartbeat", bind=True, ignore_result=True)
def heartbeat(self) -> None:
    # update_or_create is safe to run twice: the row only ever moves forward in time.
    hostname = self.request.hostname or "unknown"
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now()}
    )
