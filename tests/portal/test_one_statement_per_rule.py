"""Business code runs the same statements on every database: a branch on the database's
vendor is allowed only where docs/decisions/0012-one-statement-per-rule.md records why."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Tools and tests may know the database; the portal's own code may not.
NOT_BUSINESS_CODE = {"tests", "bench", "migrations", "management", ".venv", "node_modules"}
# Each place that still reads the vendor, and the decision that keeps it.
RECORDED = {
    # The JSON aggregate of a repair's page: no common spelling, no ORM aggregate.
    "repairs/selectors.py": 1,
    # The admin's estimated count of deadlines from PostgreSQL's statistics.
    "sla/admin.py": 1,
}


def _vendor_reads(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "vendor"
        and isinstance(node.value, ast.Name)
        and node.value.id == "connection"
    )


def test_no_business_code_branches_on_the_database_vendor_unless_recorded():
    found = {}
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if NOT_BUSINESS_CODE & set(relative.parts):
            continue
        reads = _vendor_reads(path)
        if reads:
            found[relative.as_posix()] = reads
    assert found == RECORDED


def test_the_recorded_branches_are_in_the_decision_record():
    record = (ROOT / "docs/decisions/0012-one-statement-per-rule.md").read_text(encoding="utf-8")
    for path in RECORDED:
        assert f"`{path}`" in record
