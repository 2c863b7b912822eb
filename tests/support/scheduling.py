"""How pytest-xdist hands the tests to the workers of `make test`: one at a time, in
pytest-django's order, except the browser tests, which all go to the first worker in one
batch. A browser test spends much of its time waiting on Chromium; with every browser test on
one worker, the others keep both cores busy meanwhile, and only one worker seeds the demo."""

from xdist.scheduler import LoadScheduling

# The scheduler sees node ids, not markers: the browser tests are known by their directory
# (a browser test elsewhere still runs, on whichever worker takes it).
BROWSER_TESTS = "tests/e2e/"


class BrowserTestsOnOneWorker(LoadScheduling):
    def schedule(self) -> None:
        first = self.collection is None
        super().schedule()
        if not first or not self.collection or not self.nodes:
            return
        browser = [i for i in self.pending if self.collection[i].startswith(BROWSER_TESTS)]
        if not browser:
            return
        taken = set(browser)
        self.pending[:] = [i for i in self.pending if i not in taken]
        node = self.nodes[0]
        self.node2pending[node].extend(browser)
        node.send_runtest_some(browser)
        if not self.pending:
            for node in self.nodes:
                node.shutdown()
