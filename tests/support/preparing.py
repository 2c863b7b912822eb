"""For the tests of PDFs rendered on the task queue (cases/reports/preparing.py): a queue
that keeps what is sent to it until the test runs it, as a broker would, and a stand-in
renderer for tests about when documents are rendered rather than what they say."""

import hashlib
from dataclasses import dataclass, field
from typing import Any

import pytest
from celery import Task
from django.core.cache import cache

from cases.reports import issuing, preparing
from cases.reports.rendering import RenderedReport
from mmi_tracker.celery import app


@dataclass
class Sent:
    task: str
    kwargs: dict[str, Any]
    countdown: int | None


@dataclass
class HeldQueue:
    """Tasks sent while a broker is configured: kept, in order, until ``run``."""

    sent: list[Sent] = field(default_factory=list)

    def names(self) -> list[str]:
        return [sent.task.rsplit(".", 1)[-1] for sent in self.sent]

    def run(self) -> None:
        """Run what was sent, and what those tasks send, until the queue is empty."""
        while self.sent:
            sent = self.sent.pop(0)
            result = app.tasks[sent.task].apply(kwargs=sent.kwargs)
            result.get()  # raises what the task raised


def held_queue(monkeypatch: pytest.MonkeyPatch) -> HeldQueue:
    """The case's tasks (cases/tasks.py: rendering, issuing, exports) are queued instead of
    run inline, as with CELERY_BROKER_URL set; the other apps' tasks (a case's diary rules,
    notifications) run inline as they do without a broker, and are not what these tests
    watch."""
    queue = HeldQueue()

    def apply_async(task: Task, args=None, kwargs=None, countdown=None, **options):
        if not task.name.startswith("cases.tasks."):
            return task.apply(args=args, kwargs=kwargs)
        queue.sent.append(Sent(task.name, dict(kwargs or {}), countdown))
        return None

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(Task, "apply_async", apply_async)
    cache.clear()  # what downloads asked for lately
    return queue


@dataclass
class Rendered:
    kind: str
    case_id: int | None = None
    determination_id: int | None = None


@dataclass
class StandInRenderer:
    """Each rendering is a small PDF-like file of its own; ``calls`` lists them."""

    calls: list[Rendered] = field(default_factory=list)

    def _rendered(self, call: Rendered) -> RenderedReport:
        self.calls.append(call)
        pdf = f"%PDF-1.7\n% {call} rendering {len(self.calls)}\n%%EOF\n".encode()
        return RenderedReport(
            html="", pdf=pdf, content_sha256=hashlib.sha256(pdf + b"content").hexdigest()
        )

    def case_document(self, case_id: int, kind: str, **kwargs) -> RenderedReport:
        if kind == "work_status" and self.no_work_status(case_id):
            raise preparing.NothingToReport("No work status.")
        return self._rendered(Rendered(kind, case_id=case_id))

    def determination_document(self, determination_id: int, kind: str, **kwargs):
        return self._rendered(Rendered(kind, determination_id=determination_id))

    @staticmethod
    def no_work_status(case_id: int) -> bool:
        from cases.models import WorkStatus

        return not WorkStatus.objects.filter(case_id=case_id).exists()


def stand_in_renderer(monkeypatch: pytest.MonkeyPatch) -> StandInRenderer:
    renderer = StandInRenderer()
    monkeypatch.setattr(preparing, "render_case_document", renderer.case_document)
    monkeypatch.setattr(preparing, "render_determination_document", renderer.determination_document)
    monkeypatch.setattr(issuing, "render_determination_document", renderer.determination_document)
    return renderer
