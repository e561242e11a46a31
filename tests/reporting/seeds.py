"""Helpers for the tests that reproduce the councils' published tables (the seeds):
audits with the published grades, brought in through ``manage.py import_audits``, read
back through the summary API."""

import csv
import datetime
import io

from django.core.management import call_command

from audits.models import Domain

GRADES = ("Outstanding", "Good", "Requires Improvement", "Inadequate", "Not graded")


def column(*counts: int) -> list[str]:
    """Grades written out, best first: column(0, 7, 22, 2) is 7 Good, 22 RI, 2 Inadequate;
    a fifth number is the Not graded."""
    return [grade for grade, n in zip(GRADES, counts, strict=False) for _ in range(n)]


def table(*counts: int) -> dict[str, int]:
    """The API's counts for a published row: table(0, 7, 22, 2) or with Not graded."""
    return dict(zip(GRADES, counts, strict=False))


def rows_for(
    month: datetime.date,
    overall: list[str],
    domains: dict[str, list[str]],
    *,
    start: int,
    moderated: int = 0,
) -> list[dict]:
    """One audit row for each overall grade, completed in ``month`` (spread over its
    first 28 days); the i-th audit takes the i-th grade of each domain's column; the
    first ``moderated`` audits were moderated and the moderator agreed."""
    for name, grades in domains.items():
        assert len(grades) == len(overall), f"{name}: {len(grades)} grades, {len(overall)} audits"
    rows = []
    for i, grade in enumerate(overall):
        number = start + i
        row = {
            "audit_ref": f"SEED-{number:05d}",
            "audit_type": "Child Journey Audit",
            "child_ref": f"SC{number:06d}",
            "team": "Family Support North",
            "service_area": "Safeguarding",
            "legal_status": "Child in Need",
            "auditor_email": "auditor@council.example",
            "completed_on": month.replace(day=1 + i % 28).isoformat(),
            "overall_grade": grade,
            "moderated_overall_grade": grade if i < moderated else "",
            "moderator_email": "moderator@council.example" if i < moderated else "",
        }
        for name, grades in domains.items():
            row[f"domain: {name}"] = grades[i]
        rows.append(row)
    return rows


def import_audits(tmp_path, rows: list[dict]) -> str:
    """Write the rows as a CSV file and import it with the management command, after
    setting up the council's domains (as its QA Lead would have)."""
    for heading in rows[0]:
        if heading.startswith("domain: "):
            Domain.objects.get_or_create(name=heading.removeprefix("domain: "))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "seed.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    printed = io.StringIO()
    call_command("import_audits", str(path), "--no-progress", stdout=printed)
    return printed.getvalue()


def summary(client, user, start: str, end: str) -> dict:
    client.force_login(user)
    response = client.get("/api/v1/reports/summary/", {"start": start, "end": end})
    assert response.status_code == 200, response.content
    return response.json()
