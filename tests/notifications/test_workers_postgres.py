"""Several workers on PostgreSQL: every queued email is sent exactly once."""

import threading
from collections import Counter
from types import SimpleNamespace

import pytest
from django.db import connection, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from notifications.models import Notification
from notifications.outbox import notify

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks between workers: PostgreSQL only"
    ),
]

ITEMS = 500


def run_worker(worker_id: str, errors: list) -> None:
    try:
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()
    except BaseException as exc:  # reported by the test, not lost in the thread
        errors.append(exc)
    finally:
        connections.close_all()


def test_two_workers_racing_over_500_emails_send_each_once(start_mail_server):
    server = start_mail_server()
    recipients = [f"enterprise-{i}@example.org" for i in range(ITEMS)]
    notify(
        "return_accepted",
        None,
        recipients,
        context={"object": SimpleNamespace(fiscal_year="2025-26")},
    )
    assert DBTaskResult.objects.filter(status="READY").count() == ITEMS

    errors: list = []
    workers = [threading.Thread(target=run_worker, args=(f"worker-{n}", errors)) for n in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert errors == []

    sent = Counter(r for rcpts, _ in server.messages for r in rcpts)
    assert len(sent) == ITEMS
    assert set(sent.values()) == {1}
    assert Notification.objects.filter(status="sent", attempts=1).count() == ITEMS
    tasks = DBTaskResult.objects.all()
    assert all(len(task.worker_ids) == 1 for task in tasks)
    by_worker = Counter(task.worker_ids[0] for task in tasks)
    assert set(by_worker) == {"worker-1", "worker-2"}  # both took part
    assert sum(by_worker.values()) == ITEMS
