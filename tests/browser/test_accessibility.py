"""Every page type passes axe-core's WCAG 2.1 A and AA rules, fits a phone, runs its
scripts without errors. The pages are visited once by the tour (page_tour.py)."""

from __future__ import annotations

import pytest
from page_tour import NAMES, NARROWEST, PHONE, describe_violations

EXPECTED_STATUS = {"error-404": 404, "submission-form-with-errors": 422,
                   "register-with-errors": 422}


def visited(tour, name):
    """The tour's visit of `name`, checked to be the intended page; skip if not built yet."""
    visit = tour[name]
    if visit.skipped:
        pytest.skip(f"{name}: {visit.skipped}")
    assert visit.status == EXPECTED_STATUS.get(name, 200), (visit.url, visit.status)
    return visit


@pytest.mark.parametrize("name", NAMES)
def test_axe_finds_no_wcag21_aa_violations(axe_source, tour, name):
    visit = visited(tour, name)
    report = describe_violations(visit)
    if report:
        print(report)
    assert visit.violations == [], f"axe-core found violations:\n{report}"


@pytest.mark.parametrize("name", NAMES)
def test_fits_a_phone_without_sideways_scrolling(tour, name):
    visit = visited(tour, name)
    for width in (PHONE["width"], NARROWEST):
        assert visit.overflow[width] is None, f"{name} at {width} px: {visit.overflow[width]}"


@pytest.mark.parametrize("name", NAMES)
def test_scripts_run_without_errors(tour, name):
    assert visited(tour, name).script_errors == []
