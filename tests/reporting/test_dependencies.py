"""Reporting reads every app and nothing reads reporting: only the project (qa_audit)
may import it, to route its API."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "audits", "moderation", "actions", "feedback", "common")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_app_imports_reporting():
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if any(m == "reporting" or m.startswith("reporting.") for m in imported_modules(path))
    ]
    assert offenders == []


def test_the_check_would_see_an_import_of_reporting(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("from reporting.selectors import summary\n", encoding="utf-8")
    assert "reporting.selectors" in imported_modules(module)
