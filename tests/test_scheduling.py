"""How `make test` hands the tests to its workers (tests/support/scheduling.py)."""

from types import SimpleNamespace

from tests.support.scheduling import BrowserTestsOnOneWorker

COLLECTION = [
    *(f"tests/cases/test_rules.py::test_{n}" for n in range(10)),
    *(f"tests/e2e/test_journeys.py::test_{n}" for n in range(4)),
    *(f"tests/api/test_writes.py::test_{n}" for n in range(10)),
]
BROWSER = {i for i, nodeid in enumerate(COLLECTION) if nodeid.startswith("tests/e2e/")}


class Worker:
    def __init__(self, name: str):
        self.gateway = SimpleNamespace(id=name)
        self.sent: list[int] = []
        self.shutting_down = False

    def send_runtest_some(self, indices):
        self.sent.extend(indices)

    def shutdown(self):
        self.shutting_down = True


class Config:
    """What the scheduler reads of pytest's configuration under `-n 2`."""

    def getvalue(self, name):
        return {"tx": ["2*popen"]}[name]

    def getoption(self, name):
        return {"maxschedchunk": 1}[name]


def scheduled(collection: list[str]) -> tuple[Worker, Worker, BrowserTestsOnOneWorker]:
    scheduler = BrowserTestsOnOneWorker(Config())
    first, second = Worker("gw0"), Worker("gw1")
    for worker in (first, second):
        scheduler.add_node(worker)
        scheduler.add_node_collection(worker, collection)
    scheduler.schedule()
    return first, second, scheduler


def test_the_browser_tests_all_go_to_one_worker_the_rest_two_ahead():
    first, second, scheduler = scheduled(COLLECTION)

    assert first.sent == [0, 1, *sorted(BROWSER)]
    assert second.sent == [2, 3]
    assert not BROWSER & set(scheduler.pending)


def test_the_rest_is_handed_out_as_the_workers_finish():
    first, second, scheduler = scheduled(COLLECTION)

    for index in list(second.sent):
        scheduler.mark_test_complete(second, index, duration=0.01)

    assert second.sent[2:] and not BROWSER & set(second.sent)
    assert not second.shutting_down


def test_without_browser_tests_it_is_pytest_xdists_load_scheduling():
    plain = [nodeid for nodeid in COLLECTION if not nodeid.startswith("tests/e2e/")]
    first, second, _ = scheduled(plain)

    assert (first.sent, second.sent) == ([0, 1], [2, 3])
