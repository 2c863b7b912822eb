"""The pure rules of deliveries (docs/domain.md §10), without a database."""

import ast
from datetime import date
from pathlib import Path

from cases.domain.jurisdictions import for_code
from deliveries.domain.distribution import distribution_for
from deliveries.domain.parties import Document, Party
from deliveries.domain.windows import PartyDispute, WindowState, party_window

TEXAS = for_code("TX").dispute_deadline
CALIFORNIA = for_code("CA").dispute_deadline


def test_texas_certification_by_the_treating_doctor_goes_to_carrier_division_and_employee():
    assert distribution_for("TX").recipients(Document.CERTIFICATION, certifier_role="treating") == (
        Party.CARRIER,
        Party.DIVISION,
        Party.EMPLOYEE,
    )


def test_texas_certification_by_another_doctor_also_goes_to_the_treating_doctor():
    assert distribution_for("tx").recipients(
        Document.CERTIFICATION, certifier_role="designated"
    ) == (Party.CARRIER, Party.TREATING_DOCTOR, Party.DIVISION, Party.EMPLOYEE)


def test_a_represented_employees_representative_gets_each_certification_but_no_work_status():
    for state, division in (("TX", (Party.DIVISION,)), ("FL", ())):
        rule = distribution_for(state)
        assert rule.recipients(
            Document.CERTIFICATION, certifier_role="treating", represented=True
        ) == (Party.CARRIER, *division, Party.EMPLOYEE, Party.REPRESENTATIVE)
        assert Party.REPRESENTATIVE not in rule.recipients(Document.WORK_STATUS)


def test_certification_elsewhere_is_not_filed_with_the_texas_division():
    assert distribution_for("CA").recipients(Document.CERTIFICATION, certifier_role="treating") == (
        Party.CARRIER,
        Party.EMPLOYEE,
    )


def test_work_status_goes_to_employee_employer_and_carrier():
    for state in ("TX", "FL"):
        assert distribution_for(state).recipients(Document.WORK_STATUS) == (
            Party.EMPLOYEE,
            Party.EMPLOYER,
            Party.CARRIER,
        )


def test_no_delivery_means_waiting_and_no_window():
    window = party_window(delivered_on=[], dispute_deadline=TEXAS, today=date(2026, 3, 1))
    assert window.state == WindowState.WAITING
    assert window.last_day is None


def test_window_runs_90_days_from_the_partys_own_delivery():
    employee = party_window(
        delivered_on=[date(2026, 3, 2)], dispute_deadline=TEXAS, today=date(2026, 3, 10)
    )
    carrier = party_window(
        delivered_on=[date(2026, 3, 9)], dispute_deadline=TEXAS, today=date(2026, 3, 10)
    )
    assert (employee.state, employee.last_day) == (WindowState.OPEN, date(2026, 5, 31))
    assert (carrier.state, carrier.last_day) == (WindowState.OPEN, date(2026, 6, 7))


def test_earliest_delivery_starts_the_window():
    window = party_window(
        delivered_on=[date(2026, 3, 9), date(2026, 3, 2)],
        dispute_deadline=TEXAS,
        today=date(2026, 3, 10),
    )
    assert window.delivered_on == date(2026, 3, 2)


def test_window_open_on_its_last_day_and_final_the_day_after():
    delivered = [date(2026, 3, 2)]
    on_last_day = party_window(
        delivered_on=delivered, dispute_deadline=TEXAS, today=date(2026, 5, 31)
    )
    after = party_window(delivered_on=delivered, dispute_deadline=TEXAS, today=date(2026, 6, 1))
    assert on_last_day.state == WindowState.OPEN
    assert after.state == WindowState.FINAL


def test_window_ending_on_a_sunday_names_the_next_working_day_but_closes_on_the_sunday():
    delivered = [date(2026, 1, 5)]
    window = party_window(delivered_on=delivered, dispute_deadline=TEXAS, today=date(2026, 4, 6))
    assert window.last_day == date(2026, 4, 5)
    assert window.next_working_day == date(2026, 4, 6)
    assert window.deadline is not None and window.deadline.non_working_reason == "Sunday"
    # 28 TAC 130.12(b): the 90 days may not be extended.
    assert window.state == WindowState.FINAL


def test_window_ending_on_thanksgiving_names_the_monday_after():
    window = party_window(
        delivered_on=[date(2026, 8, 28)], dispute_deadline=TEXAS, today=date(2026, 11, 1)
    )
    assert window.last_day == date(2026, 11, 26)
    assert window.next_working_day == date(2026, 11, 30)


def test_dispute_in_time_and_late():
    delivered = [date(2026, 3, 2)]
    in_time = party_window(
        delivered_on=delivered,
        dispute_deadline=TEXAS,
        disputes=[PartyDispute(received_on=date(2026, 4, 1), late=False)],
        today=date(2026, 7, 1),
    )
    late = party_window(
        delivered_on=delivered,
        dispute_deadline=TEXAS,
        disputes=[PartyDispute(received_on=date(2026, 6, 15), late=True)],
        today=date(2026, 7, 1),
    )
    assert in_time.state == WindowState.DISPUTED
    assert late.state == WindowState.DISPUTED_LATE
    assert late.last_day == date(2026, 5, 31)


def test_jurisdiction_without_a_window_says_so_once_delivered():
    window = party_window(
        delivered_on=[date(2026, 3, 2)], dispute_deadline=CALIFORNIA, today=date(2026, 3, 10)
    )
    assert window.state == WindowState.NO_WINDOW


def test_amendment_window_runs_from_its_own_delivery_not_the_first_versions():
    first_version = party_window(
        delivered_on=[date(2026, 1, 5)], dispute_deadline=TEXAS, today=date(2026, 5, 1)
    )
    amendment = party_window(
        delivered_on=[date(2026, 4, 20)], dispute_deadline=TEXAS, today=date(2026, 5, 1)
    )
    assert first_version.state == WindowState.FINAL
    assert (amendment.state, amendment.last_day) == (WindowState.OPEN, date(2026, 7, 19))


def test_no_module_in_deliveries_domain_imports_django():
    domain = Path(__file__).resolve().parents[2] / "deliveries" / "domain"
    imported = set()
    for path in domain.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    assert not any(name == "django" or name.startswith("django.") for name in imported)
