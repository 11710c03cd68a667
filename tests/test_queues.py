"""Which queue each kind of work goes to, and which pool takes it (issue 15): the status reads that
see a take finish never share a pool with the sends of a batch, and e-mails never share one with
beat's sweep. Routes are asked of Celery's own router, pools read from docker-compose.yml,
scripts/run.sh and the bench's worker commands (derived from the compose file)."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def queue_of(task_name: str) -> str:
    from studio.celery import app

    return app.amqp.router.route({}, task_name)["queue"].name


@pytest.mark.parametrize(
    ("task_name", "kind"),
    [
        ("projects.submit_take", "submit"),
        ("projects.follow_take", "follow"),
        ("projects.check_take", "follow"),
        ("projects.download_take", "download"),
        ("projects.email_notification", "email"),
        ("projects.email_digests", "email"),
        ("projects.sweep_takes", "housekeeping"),
        ("projects.check_books", "housekeeping"),
        ("studio.heartbeat", "housekeeping"),
    ],
)
def test_each_task_goes_to_the_queue_of_its_kind_of_work(task_name, kind):
    assert queue_of(task_name) == settings.QUEUES[kind]


def compose_pools() -> dict[str, set[str]]:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    pools = {}
    for name, service in services.items():
        command = service.get("command") or []
        if "-Q" in command:
            pools[name] = set(command[command.index("-Q") + 1].split(","))
    return pools


def run_sh_pools() -> dict[str, set[str]]:
    run = (ROOT / "scripts" / "run.sh").read_text()
    return {
        name: set(queues.split(","))
        for name, queues in re.findall(r"^worker (\S+) (\S+) \d+", run, flags=re.MULTILINE)
    }


def bench_pools() -> dict[str, set[str]]:
    from scripts.bench_pipeline import compose_commands

    pools = {}
    for name, command, _ in compose_commands("bench-x-", "/tmp", 2):
        if "-Q" in command:
            queues = command[command.index("-Q") + 1].split(",")
            pools[name] = {queue.removeprefix("bench-x-") for queue in queues}
    return pools


@pytest.mark.parametrize("pools", [compose_pools, run_sh_pools, bench_pools])
def test_status_reads_and_emails_have_pools_of_their_own(pools):
    found = pools()
    assert set().union(*found.values()) == set(settings.QUEUES), "every queue has a pool"
    (follow,) = [queues for queues in found.values() if "follow" in queues]
    assert follow == {"follow"}, "status reads share their pool with nothing"
    (email,) = [queues for queues in found.values() if "email" in queues]
    assert email == {"email"}, "e-mails share their pool with nothing"
    (housekeeping,) = [queues for queues in found.values() if "housekeeping" in queues]
    assert "email" not in housekeeping and "follow" not in housekeeping


def test_status_reads_get_the_cores_first_and_saving_videos_and_mail_last():
    from scripts.bench_pipeline import compose_cpu_nice, yaml_services

    services = yaml_services()
    default = 1024
    assert services["follow"]["cpu_shares"] > default
    assert services["download"]["cpu_shares"] < default
    assert services["mail"]["cpu_shares"] < default
    assert "cpu_shares" not in services["web"]  # the callbacks come in here
    # The bench, which has no containers, gives the same weights as nice values.
    assert compose_cpu_nice("follow") < compose_cpu_nice("web") == 0
    assert compose_cpu_nice("download") > 0 and compose_cpu_nice("mail") > 0
