"""What `manage.py benchmark` measures, on whatever data the database holds.

Pages are requested in process through Django's test client, signed in as the demo role
each page is for, with DEBUG off: the time of each request (p50, p95 over repeats) and
its SQL queries (django.test.utils.CaptureQueriesContext). Requests that change data
(autosave, submit) run inside a transaction that is rolled back, so the dataset stays
reusable. The import runs `import_audits` in a child process (its own peak memory), the
report is generated and written as Word, Excel and PDF inside a rolled-back
transaction, and the load test runs gunicorn against the same database.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import http.client
import json
import logging
import math
import os
import platform
import random
import secrets
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import django
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, ServiceArea, Team, User

from .urls import FLOOR_PATH

#: every page measured, in the order printed; the keys of the JSON's "pages"
PAGE_NAMES = (
    "my_audits",
    "audit_form",
    "audit_autosave",
    "audit_submit",
    "moderation_panel",
    "moderation_review",
    "moderation_statistics_year",
    "tracker_team_manager",
    "tracker_qa_lead",
    "cases_of_concern",
    "dashboard_all",
    "dashboard_quarter",
    "performance",
    "report",
    "api_reports_summary",
    "api_audits",
)
#: the pages whose figures are kept for the data's version (reporting.data_version)
FIGURES_PAGES = ("dashboard_all", "dashboard_quarter", "api_reports_summary")
#: the keys of each page's figures
PAGE_KEYS = (
    "p50_ms",
    "p95_ms",
    "queries",
    "queries_small",
    "uncached_p50_ms",
    "uncached_p95_ms",
    "uncached_queries",
)
#: the parts that --skip may leave out
SKIPPABLE = ("pages", "small", "import", "report", "load")
#: the demo's accounts, preferred when they have the role (README: demo sign-ins)
DEMO_EMAILS = {
    Role.AUDITOR: "auditor@northshire.example",
    Role.MODERATOR: "moderator@northshire.example",
    Role.TEAM_MANAGER: "team.manager@northshire.example",
    Role.QA_LEAD: "qa.lead@northshire.example",
    Role.LEADER: "leader@northshire.example",
}
#: the backend the benchmark signs people in with (axes' backend needs a request)
BACKEND = "accounts.lockout.PasswordBackend"
WARM_UP = 2
IMPORT_ROWS = 10_000
IMPORT_PREFIX = "BENCH-"
AUTOSAVE_TEXT = "Benchmark autosave: strengths noted during the audit."


class BenchmarkError(RuntimeError):
    """The database lacks something a measurement needs, said so a person can act on it."""


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (share 0.5 for p50, 0.95 for p95), or None for none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


# People and addresses ------------------------------------------------------------------


def person(role: str, *, having: Q | None = None) -> User:
    """Someone active with the role: the demo's account for it when it qualifies, else the
    first by id (``having``: a further condition, for example owning an editable audit)."""
    people = User.objects.filter(is_active=True, role_assignments__role=role)
    if having is not None:
        people = people.filter(having)
    people = people.distinct().order_by("pk")
    demo = DEMO_EMAILS.get(role)
    found = (demo and people.filter(email__iexact=demo).first()) or people.first()
    if found is None:
        raise BenchmarkError(f"Nobody active has the role {role}: build the dataset first.")
    return found


@dataclass
class Page:
    name: str
    user: User
    path: str
    method: str = "get"
    data: dict = field(default_factory=dict)
    writes: bool = False
    api: bool = False


def _last_whole_quarter(today: datetime.date):
    from common.dates import quarter_of

    return quarter_of(quarter_of(today).start - datetime.timedelta(days=1))


def _financial_year_start(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _form_audit():
    """An editable audit for the form pages: one whose answers are all given, so that
    submitting it really submits (the demo's auditor's when they have one), else any."""
    from audits.models import Audit
    from audits.models.audit import EDITABLE_STATUSES
    from audits.services import audit as audit_service

    editable = Audit.objects.filter(
        status__in=EDITABLE_STATUSES, auditor__is_active=True
    ).select_related("auditor")
    demo = DEMO_EMAILS[Role.AUDITOR]
    candidates = list(editable.filter(auditor__email__iexact=demo).order_by("pk")[:20])
    candidates += list(editable.exclude(auditor__email__iexact=demo).order_by("-pk")[:30])
    if not candidates:
        raise BenchmarkError("No audit is open for its auditor: build the dataset first.")
    for audit in candidates:
        if not audit_service.audit_missing_items(audit):
            return audit
    return candidates[0]


def _panel_and_review():
    """The latest panel before this month's that has reviews, its first moderator (who
    has reviews on it), and one of their reviews on it, an unfinished one when there is
    one. This month's panel is left out: early in a month it may have no review yet at
    one size and some at another, and the page shows a month still open differently."""
    from moderation.models import ModerationReview, Panel, ReviewStatus

    today = timezone.localdate()
    panels = (
        Panel.objects.filter(month__lt=today.replace(day=1))
        .annotate(n=Count("reviews"))
        .filter(n__gt=0)
        .order_by("-month")
    )
    panel = panels.first()
    if panel is None:
        raise BenchmarkError("No moderation panel has reviews: build the dataset first.")
    reviews = ModerationReview.objects.filter(panel=panel, moderator__is_active=True)
    review = (
        reviews.exclude(status=ReviewStatus.FINAL).order_by("pk").first()
        or reviews.order_by("pk").first()
    )
    if review is None:
        raise BenchmarkError(f"{panel} has no reviews by an active moderator.")
    return panel, review.moderator, review


def _team_manager() -> User:
    """The team manager of the team with the most actions (the demo's when they manage)."""
    from actions.models import Action

    demo = Team.objects.filter(manager__email__iexact=DEMO_EMAILS[Role.TEAM_MANAGER]).first()
    if demo is not None and demo.manager.is_active:
        return demo.manager
    busiest = (
        Action.objects.filter(team__manager__is_active=True)
        .values("team__manager")
        .annotate(n=Count("pk"))
        .order_by("-n", "team__manager")
        .first()
    )
    if busiest is not None:
        return User.objects.get(pk=busiest["team__manager"])
    return person(Role.TEAM_MANAGER)


def _report():
    from reporting.models import Report, ReportKind

    reports = Report.objects.filter(kind=ReportKind.QUARTERLY, versions__isnull=False)
    report = (
        reports.filter(service_area__isnull=True).order_by("-end").first()
        or reports.order_by("-end").first()
    )
    if report is None:
        raise BenchmarkError("No quarterly report has a version: build the dataset first.")
    return report


def page_targets(today: datetime.date | None = None) -> list[Page]:
    """Each page to measure, with who asks for it and the address, found in the data."""
    from audits.models import Audit

    today = today or timezone.localdate()
    audit = _form_audit()
    auditor = audit.auditor
    panel, moderator, review = _panel_and_review()
    qa_lead = person(Role.QA_LEAD)
    leader = person(Role.LEADER)
    manager = _team_manager()
    quarter = _last_whole_quarter(today)
    q_number = (quarter.start.month - 4) % 12 // 3 + 1
    q_key = f"q-{_financial_year_start(quarter.start)}-{q_number}"
    year = _financial_year_start(today)
    first = (
        Audit.objects.filter(completed_on__isnull=False)
        .order_by("completed_on")
        .values_list("completed_on", flat=True)
        .first()
    ) or today
    # the dashboard takes at most five years: all the data, or the last five years of it
    first = max(first, today - datetime.timedelta(days=5 * 366 - 1))
    area = ServiceArea.objects.order_by("name").first()
    fy_start = datetime.date(year, 4, 1)
    summary_query = {"start": fy_start.isoformat(), "end": today.isoformat()}
    section = "findings"
    form_path = reverse("audits:audit_section", args=[audit.pk, _first_section(audit)])
    return [
        Page("my_audits", auditor, reverse("audits:my_audits")),
        Page("audit_form", auditor, form_path),
        Page(
            "audit_autosave",
            auditor,
            reverse("audits:audit_autosave", args=[audit.pk]),
            method="post",
            data={
                "section": section,
                "lock_version": str(audit.lock_version),
                "strengths": audit.strengths or AUTOSAVE_TEXT,
                "areas_for_development": audit.areas_for_development,
            },
            writes=True,
        ),
        Page(
            "audit_submit",
            auditor,
            reverse("audits:audit_submit", args=[audit.pk]),
            method="post",
            writes=True,
        ),
        # the QA Lead chairs the panel; the moderator sees the reviews they were given
        Page("moderation_panel", qa_lead, reverse("moderation:panel_detail", args=[panel.pk])),
        Page("moderation_review", moderator, reverse("moderation:review", args=[review.pk])),
        Page(
            "moderation_statistics_year",
            qa_lead,
            reverse("moderation:statistics") + "?" + urlencode({"period": "year", "year": year}),
        ),
        Page("tracker_team_manager", manager, reverse("actions:tracker")),
        Page("tracker_qa_lead", qa_lead, reverse("actions:tracker")),
        Page("cases_of_concern", qa_lead, reverse("actions:cases")),
        Page(
            "dashboard_all",
            leader,
            reverse("reporting:dashboard")
            + "?"
            + urlencode({"period": "custom", "start": first.isoformat(), "end": today.isoformat()}),
        ),
        Page(
            "dashboard_quarter",
            leader,
            reverse("reporting:dashboard")
            + "?"
            + urlencode({"period": q_key} | ({"service_area": area.pk} if area else {})),
        ),
        Page("performance", leader, reverse("reporting:performance")),
        # the QA Lead reads the drafts the schedule generates; leaders once published
        Page("report", qa_lead, reverse("reporting:report", args=[_report().pk])),
        Page(
            "api_reports_summary",
            leader,
            "/api/v1/reports/summary/?" + urlencode(summary_query),
            api=True,
        ),
        Page("api_audits", qa_lead, "/api/audits/", api=True),
    ]


def _first_section(audit) -> str:
    from audits.views.form import _audit_data

    return _audit_data(audit, audit.auditor).sections[0].key


# In-process pages ----------------------------------------------------------------------


#: loggers that write a line for every request or sign-in: quiet while measuring
CHATTY_LOGGERS = ("qa_audit.requests", "axes")


@contextlib.contextmanager
def quiet_logs():
    loggers = [logging.getLogger(name) for name in CHATTY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@contextlib.contextmanager
def production_like():
    """DEBUG off and the floor page installed, for requests made in this process."""
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with (
        quiet_logs(),
        override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=hosts,
            SECURE_SSL_REDIRECT=False,
            ROOT_URLCONF="qa_audit.benchmark.urls",
        ),
    ):
        yield


def _client_for(user: User, clients: dict) -> Client:
    if user.pk not in clients:
        client = Client()
        client.force_login(user, backend=BACKEND)
        clients[user.pk] = client
    return clients[user.pk]


def _send(client: Client, page: Page):
    headers = {"HTTP_ACCEPT": "application/json"} if page.api else {}
    if not page.writes:
        return getattr(client, page.method)(page.path, page.data, **headers)
    with transaction.atomic():
        response = getattr(client, page.method)(page.path, page.data, **headers)
        transaction.set_rollback(True)
    return response


def _timed(client: Client, page: Page, repeat: int, statuses: set) -> tuple[int, list[float]]:
    """The queries of one request after warming up, and ``repeat`` requests' times."""
    for _ in range(WARM_UP):
        statuses.add(_send(client, page).status_code)
    with CaptureQueriesContext(connection) as queries:
        statuses.add(_send(client, page).status_code)
    # the rollback's own SAVEPOINT and ROLLBACK statements are the benchmark's, not the page's
    counted = [q for q in queries.captured_queries if not _is_transaction_control(q["sql"])]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        statuses.add(_send(client, page).status_code)
        times.append(time.perf_counter() - start)
    return len(counted), times


def time_request(client: Client, page: Page, repeat: int) -> dict:
    """p50 and p95 of ``repeat`` requests after warming up, the queries of one, and the
    status codes seen. A page whose figures are kept for the data's version
    (reporting.data_version) is timed again counting them on every request, as the
    first request after a change does: ``uncached_p50_ms``, ``uncached_p95_ms`` and
    ``uncached_queries`` (None for the other pages)."""
    statuses = set()
    queries, times = _timed(client, page, repeat, statuses)
    figures = {
        "p50_ms": _ms(percentile(times, 0.5)),
        "p95_ms": _ms(percentile(times, 0.95)),
        "queries": queries,
        "uncached_p50_ms": None,
        "uncached_p95_ms": None,
        "uncached_queries": None,
    }
    if page.name in FIGURES_PAGES:
        with override_settings(FIGURES_CACHE_SECONDS=0):
            uncached, times = _timed(client, page, repeat, statuses)
        figures |= {
            "uncached_p50_ms": _ms(percentile(times, 0.5)),
            "uncached_p95_ms": _ms(percentile(times, 0.95)),
            "uncached_queries": uncached,
        }
    return figures | {"statuses": sorted(statuses)}


def _is_transaction_control(sql: str) -> bool:
    word = sql.lstrip().split(" ", 1)[0].upper()
    return word in {"SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT"}


def measure_pages(repeat: int, *, stdout=None) -> tuple[dict, dict]:
    """Each page's figures (PAGE_KEYS but queries_small, filled in later) and the status
    codes each answered with."""
    pages, statuses, clients = {}, {}, {}
    with production_like():
        for page in page_targets():
            figures = time_request(_client_for(page.user, clients), page, repeat)
            statuses[page.name] = figures.pop("statuses")
            pages[page.name] = figures | {"queries_small": None}
            if stdout is not None:
                stdout.write(f"  {page.name}: {figures['p50_ms']} ms, {figures['queries']} queries")
    _sign_out(clients.values())
    return pages, statuses


def measure_floor(repeat: int) -> float | None:
    """The p50 of the floor page, signed in as the QA Lead."""
    clients = {}
    with production_like():
        page = Page("floor", person(Role.QA_LEAD), FLOOR_PATH)
        figures = time_request(_client_for(page.user, clients), page, repeat)
    _sign_out(clients.values())
    return figures["p50_ms"]


def _sign_out(clients) -> None:
    for client in clients:
        client.logout()


# The summary's aggregates as hand-written SQL --------------------------------------------


def raw_summary_sql() -> list[tuple[str, list]]:
    """The summary API's main aggregates for the current financial year to date, written
    by hand: audit counts, final and original overall grades, grades by month, by
    service area, and domain grades."""
    from audits.models import GRADED, Audit, AuditType, DomainGrading
    from audits.models.audit import COMPLETED_STATUSES
    from moderation.models import ModerationReview, ReviewStatus

    today = timezone.localdate()
    start = datetime.date(_financial_year_start(today), 4, 1)
    audit = Audit._meta.db_table
    review = ModerationReview._meta.db_table
    grading = DomainGrading._meta.db_table
    team = Team._meta.db_table
    completed = [str(s) for s in COMPLETED_STATUSES]
    graded = [str(g) for g in GRADED]
    cja = str(AuditType.CHILD_JOURNEY)
    final = (
        f"CASE WHEN r.status = %s AND r.moderated_grade IN ({_marks(graded)}) "
        "THEN r.moderated_grade ELSE a.overall_grade END"
    )
    final_params = [str(ReviewStatus.FINAL), *graded]
    done = (
        f"a.audit_type = %s AND a.status IN ({_marks(completed)}) "
        "AND a.completed_on BETWEEN %s AND %s"
    )
    done_params = [cja, *completed, start, today]
    left_out = ["proposed", "cancelled", "exempted"]
    month = (
        "date_trunc('month', a.completed_on)"
        if connection.vendor == "postgresql"
        else "strftime('%%Y-%%m', a.completed_on)"
    )
    return [
        (
            f"SELECT COUNT(*) FILTER (WHERE a.status IN ({_marks(completed)}) "
            "AND a.completed_on BETWEEN %s AND %s), "
            "COUNT(*) FILTER (WHERE a.month BETWEEN %s AND %s "
            f"AND a.status NOT IN ({_marks(left_out)})) "
            f"FROM {audit} a WHERE a.audit_type = %s",
            [*completed, start, today, start, today, *left_out, cja],
        ),
        (
            f"SELECT {final} AS grade, a.overall_grade, COUNT(*) FROM {audit} a "
            f"LEFT JOIN {review} r ON r.audit_id = a.id WHERE {done} GROUP BY 1, 2",
            [*final_params, *done_params],
        ),
        (
            f"SELECT {month}, {final}, COUNT(*) FROM {audit} a "
            f"LEFT JOIN {review} r ON r.audit_id = a.id WHERE {done} GROUP BY 1, 2",
            [*final_params, *done_params],
        ),
        (
            f"SELECT t.service_area_id, {final}, COUNT(*) FROM {audit} a "
            f"JOIN {team} t ON t.id = a.team_id "
            f"LEFT JOIN {review} r ON r.audit_id = a.id WHERE {done} GROUP BY 1, 2",
            [*final_params, *done_params],
        ),
        (
            f"SELECT g.domain_id, g.grade, COUNT(*) FROM {grading} g "
            f"JOIN {audit} a ON a.id = g.audit_id WHERE {done} GROUP BY 1, 2",
            done_params,
        ),
    ]


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def measure_raw_summary(repeat: int) -> float:
    """The p50 of running every statement of raw_summary_sql once, in milliseconds."""
    statements = raw_summary_sql()
    times = []
    with connection.cursor() as cursor:
        for round_ in range(WARM_UP + repeat):
            start = time.perf_counter()
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
            if round_ >= WARM_UP:
                times.append(time.perf_counter() - start)
    return _ms(percentile(times, 0.5))


# Import ---------------------------------------------------------------------------------


def write_import_file(path: Path, rows: int, *, prefix: str, seed: int = 12) -> None:
    """A CSV of ``rows`` past audits in import_audits' format (docs/import-format.md):
    existing children, teams and auditors, a grade and evidence for every domain of the
    installed template, participation, and moderation columns on every third row.
    Grades are never Inadequate, so no Case of Concern is opened and the rows can be
    deleted afterwards."""
    from audits.importer.columns import PARTICIPATION, REQUIRED
    from audits.models import Child

    rng = random.Random(seed)
    today = timezone.localdate()
    children = list(
        Child.objects.filter(team__isnull=False)
        .select_related("team__service_area")
        .order_by("pk")[:2000]
    )
    auditors = list(
        User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR)
        .order_by("pk")
        .values_list("email", flat=True)[:200]
    )
    moderators = list(
        User.objects.filter(is_active=True, role_assignments__role=Role.MODERATOR)
        .order_by("pk")
        .values_list("email", flat=True)[:50]
    )
    if not children or not auditors or not moderators:
        raise BenchmarkError("The import needs children, auditors and moderators: build the data.")
    domains = _template_domains()
    grades = ["Outstanding", "Good", "Requires Improvement", "RI lower"]
    headings = list(REQUIRED)
    for name in domains:
        headings += [f"domain: {name}", f"evidence: {name}"]
    headings += list(PARTICIPATION)
    headings += ["moderated_overall_grade", "moderated_on", "moderator_email"]
    headings += [f"moderated: {name}" for name in domains]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=headings)
        writer.writeheader()
        for index in range(rows):
            child = children[index % len(children)]
            completed = today - datetime.timedelta(days=rng.randint(30, 3 * 365))
            row = {
                "audit_ref": f"{prefix}{index:06d}",
                "audit_type": "CJA",
                "child_ref": child.case_reference,
                "team": child.team.name,
                "service_area": child.team.service_area.name,
                "legal_status": child.legal_status,
                "auditor_email": auditors[index % len(auditors)],
                "completed_on": completed.isoformat(),
                "overall_grade": rng.choice(grades),
            }
            for name in domains:
                row[f"domain: {name}"] = rng.choice(grades)
                row[f"evidence: {name}"] = f"Evidence for {name.lower()} on audit {index}."
            for column in PARTICIPATION:
                row[column] = rng.choice(["yes", "no", "n/a"])
            if index % 3 == 0:
                row["moderated_overall_grade"] = rng.choice(grades)
                row["moderated_on"] = (completed + datetime.timedelta(days=14)).isoformat()
                row["moderator_email"] = moderators[index % len(moderators)]
            writer.writerow({key: row.get(key, "") for key in headings})


def _template_domains() -> list[str]:
    from audits.importer.lookups import TEMPLATE_FAMILY
    from audits.models import AuditTemplate

    templates = AuditTemplate.objects.filter(is_active=True)
    template = templates.filter(family=TEMPLATE_FAMILY).first() or templates.order_by("pk").first()
    if template is None:
        return []
    return [
        s.domain.name
        for s in template.sections.select_related("domain").filter(domain__isnull=False)
    ]


def measure_import(rows: int = IMPORT_ROWS, *, stdout=None) -> tuple[float | None, float | None]:
    """Rows a second and peak memory (MB) of `import_audits` on a generated file, run as
    a child process on the same database; the imported audits are deleted afterwards."""
    prefix = f"{IMPORT_PREFIX}{timezone.now():%Y%m%d%H%M%S}-"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "past-audits.csv"
        write_import_file(path, rows, prefix=prefix)
        log = Path(folder) / "import.log"
        command = [sys.executable, "manage.py", "import_audits", str(path), "--no-progress"]
        with log.open("wb") as out:
            start = time.perf_counter()
            process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, stdout=out, stderr=subprocess.STDOUT
            )
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
        try:
            if process.returncode != 0:
                if stdout is not None:
                    stdout.write("import_audits failed:\n" + log.read_text()[-3000:])
                return None, None
            # ru_maxrss is in kilobytes on Linux
            return round(rows / elapsed, 1), round(usage.ru_maxrss / 1024, 1)
        finally:
            delete_imported(prefix)


def delete_imported(prefix: str) -> int:
    """Delete the audits a benchmark import made (by their reference), with their reviews
    and every history row the import wrote about them; the deletes themselves write no
    history (they undo a measurement, not a change anyone made)."""
    from audits.models import Audit
    from common.history import historical_model
    from moderation.models import ModerationReview

    audits = Audit.objects.filter(reference__startswith=prefix)
    ids = list(audits.values_list("pk", flat=True))
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        ModerationReview.objects.filter(audit__in=audits).delete()
        deleted, _ = audits.delete()
        for model in apps.get_models():
            if not getattr(model._meta, "simple_history_manager_attribute", None):
                continue
            historical = historical_model(model)
            if model is Audit:
                historical.objects.filter(id__in=ids).delete()
            elif any(f.name == "audit" for f in historical._meta.fields):
                historical.objects.filter(audit_id__in=ids).delete()
    return deleted


# Report ---------------------------------------------------------------------------------


def measure_report() -> float:
    """Seconds to generate the whole organisation's report for the last whole quarter and
    write it as Word, Excel and PDF, in a transaction that is rolled back."""
    from reporting.documents import FORMATS, document
    from reporting.models import ReportKind
    from reporting.services import generate, report_for

    period = _last_whole_quarter(timezone.localdate())
    with transaction.atomic():
        start = time.perf_counter()
        report = report_for(ReportKind.QUARTERLY, period)
        version, _ = generate(report)
        for fmt in FORMATS:
            document(version, fmt)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return round(elapsed, 2)


# Load -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(secret_key: str) -> dict:
    """The environment gunicorn runs in: production settings on this machine's loopback."""
    env = os.environ.copy()
    env.update(
        DEBUG="false",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(Path(settings.BASE_DIR) / "var" / "benchmark-static"),
        LOG_LEVEL="WARNING",
    )
    return env


def static_is_fresh(root: Path) -> bool:
    """Whether ``root`` holds a manifest newer than every static file the finders list."""
    from django.contrib.staticfiles.finders import get_finders

    manifest = root / "staticfiles.json"
    if not manifest.is_file():
        return False
    built = manifest.stat().st_mtime
    for finder in get_finders():
        for path, storage in finder.list([]):
            if os.path.getmtime(storage.path(path)) > built:
                return False
    return True


@dataclass
class Journey:
    """One kind of user's round of pages; POST steps are autosaves of ``audit``."""

    role: str
    user: User
    steps: list[tuple[str, str]]
    audit: int | None = None
    findings: dict = field(default_factory=dict)


def journeys() -> list[Journey]:
    """The five journeys of the issue: auditor (list, form, autosave), moderator (panel,
    review), team manager (tracker), QA Lead (tracker, Cases of Concern, moderation
    statistics, report), leader (dashboard, performance)."""
    targets = {page.name: page for page in page_targets()}
    auditor = targets["audit_autosave"]
    audit_pk = int(auditor.path.rstrip("/").split("/")[-2])

    def paths(*names):
        return [("GET", targets[name].path) for name in names]

    return [
        Journey(
            "auditor",
            auditor.user,
            [*paths("my_audits", "audit_form"), ("POST", auditor.path)],
            audit=audit_pk,
            findings={
                k: v for k, v in auditor.data.items() if k not in {"section", "lock_version"}
            },
        ),
        Journey(
            "moderator",
            targets["moderation_panel"].user,
            paths("moderation_panel", "moderation_review"),
        ),
        Journey(
            "team_manager", targets["tracker_team_manager"].user, paths("tracker_team_manager")
        ),
        Journey(
            "qa_lead",
            targets["tracker_qa_lead"].user,
            # the QA Lead reads the report drafts; leaders see reports once published
            paths("tracker_qa_lead", "cases_of_concern", "moderation_statistics_year", "report"),
        ),
        Journey(
            "leader",
            targets["dashboard_quarter"].user,
            paths("dashboard_quarter", "performance"),
        ),
    ]


def _session_cookie(user: User, secret_key: str) -> str:
    """A session in the database for ``user``, signed with the server's key."""
    with override_settings(SECRET_KEY=secret_key):
        client = Client()
        client.force_login(user, backend=BACKEND)
        return client.cookies[settings.SESSION_COOKIE_NAME].value


class _Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.errors = 0
        self.error_kinds: dict[str, int] = {}

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times.append(seconds)
            if error:
                self.errors += 1
                self.error_kinds[error] = self.error_kinds.get(error, 0) + 1


class _AutosaveVersions:
    """The audits' lock versions, shared by the virtual auditors, one save at a time."""

    def __init__(self):
        self.lock = threading.Lock()
        self.versions: dict[int, int] = {}


def _virtual_user(port, journey, cookie, deadline, recorder, autosaves, seed) -> None:
    rng = random.Random(seed)
    csrf = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(32))
    headers = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
    }
    time.sleep(rng.uniform(0, 1.5))  # arrive spread out, not all at once
    while time.monotonic() < deadline:
        for method, path in journey.steps:
            if time.monotonic() >= deadline:
                return
            if method == "POST":
                with autosaves.lock:
                    version = autosaves.versions[journey.audit]
                    body = urlencode(
                        {"section": "findings", "lock_version": version} | journey.findings
                    )
                    answer = _http(port, "POST", path, headers, body, recorder)
                    if answer is not None:
                        with contextlib.suppress(ValueError, KeyError):
                            autosaves.versions[journey.audit] = json.loads(answer)["lock_version"]
            else:
                _http(port, "GET", path, headers, None, recorder)
            time.sleep(rng.uniform(0.5, 1.5))


def _http(port, method, path, headers, body, recorder) -> bytes | None:
    sent = dict(headers)
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    start = time.perf_counter()
    error = None
    content = None
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        content = response.read()
        conn.close()
        if response.status >= 400:
            error = f"{method} {path.split('?')[0]}: {response.status}"
    except OSError as exc:
        error = f"{method} {path.split('?')[0]}: {exc.__class__.__name__}"
    recorder.add(time.perf_counter() - start, error)
    return None if error else content


def _warm_up(port: int, rounds: list[Journey], cookies: list[str], workers: int) -> None:
    """Open every page of every journey once per worker, unrecorded, so that the timings
    are of warm workers (templates compiled, modules imported), as in production."""
    ignored = _Recorder()
    for _ in range(workers):
        for index, journey in enumerate(rounds):
            headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookies[index]}"}
            for method, path in journey.steps:
                if method == "GET":
                    _http(port, "GET", path, headers, None, ignored)


def _wait_until_up(port: int, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchmarkError(f"gunicorn stopped at start (exit status {process.returncode}).")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise BenchmarkError(f"gunicorn did not answer on port {port} within {seconds:.0f} s.")


def measure_load(*, users: int, seconds: int, workers: int | None = None, stdout=None) -> dict:
    """``users`` virtual users, each on one of the five journeys in turn, against gunicorn
    with ``workers`` workers (2 × cores + 1) for ``seconds``; requests, errors, p50, p95.
    Autosaved text is put back afterwards."""
    from audits.models import Audit

    workers = workers or 2 * (os.cpu_count() or 1) + 1
    secret_key = os.environ.get("SECRET_KEY", "")
    if len(secret_key) < 50 or secret_key == settings.DEVELOPMENT_SECRET_KEY:
        secret_key = secrets.token_urlsafe(48)
    env = server_environment(secret_key)
    base = Path(settings.BASE_DIR)
    if not static_is_fresh(Path(env["STATIC_ROOT"])):
        if stdout is not None:
            stdout.write("  collectstatic for DEBUG off (once; a minute or two)…")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=base,
            env=env,
            check=True,
        )
    rounds = journeys()
    audit_pks = {j.audit for j in rounds if j.audit}
    # autosaves over HTTP cannot be rolled back: keep each audit's row and put it back
    columns = [f.attname for f in Audit._meta.concrete_fields]
    saved = {row["id"]: row for row in Audit.objects.filter(pk__in=audit_pks).values(*columns)}
    autosaves = _AutosaveVersions()
    autosaves.versions = {pk: row["lock_version"] for pk, row in saved.items()}
    cookies = [_session_cookie(rounds[i % len(rounds)].user, secret_key) for i in range(users)]
    warm_cookies = [_session_cookie(journey.user, secret_key) for journey in rounds]
    port = free_port()
    log = (base / "var" / "benchmark-gunicorn.log").open("wb")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "qa_audit.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
    ]
    server = subprocess.Popen(
        command, cwd=base, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    recorder = _Recorder()
    try:
        _wait_until_up(port, server)
        _warm_up(port, rounds, warm_cookies, workers)
        if stdout is not None:
            stdout.write(
                f"  gunicorn: {workers} workers on 127.0.0.1:{port}; {users} users for {seconds} s"
            )
        started = time.monotonic()
        deadline = started + seconds
        threads = [
            threading.Thread(
                target=_virtual_user,
                args=(port, rounds[i % len(rounds)], cookies[i], deadline, recorder, autosaves, i),
                daemon=True,
            )
            for i in range(users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 120)
        elapsed = time.monotonic() - started
    finally:
        _stop(server)
        log.close()
        _restore_autosaved(saved)
        _delete_sessions(cookies + warm_cookies)
    if stdout is not None and recorder.error_kinds:
        stdout.write(f"  load errors: {recorder.error_kinds}")
    return {
        "users": users,
        "seconds": seconds,
        "workers": workers,
        "requests": len(recorder.times),
        "requests_per_second": round(len(recorder.times) / elapsed, 1) if elapsed else None,
        "errors": recorder.errors,
        "errors_by_kind": dict(sorted(recorder.error_kinds.items())),
        "p50_ms": _ms(percentile(recorder.times, 0.5)),
        "p95_ms": _ms(percentile(recorder.times, 0.95)),
    }


def _stop(server) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _restore_autosaved(saved: dict) -> None:
    from audits.models import Audit

    for pk, row in saved.items():
        Audit.objects.filter(pk=pk).update(
            **{k: v for k, v in row.items() if k not in {"pk", "id"}}
        )


def _delete_sessions(cookies: list[str]) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=cookies).delete()


# The machine ----------------------------------------------------------------------------


def machine() -> dict:
    memory_mb = None
    with contextlib.suppress(OSError, ValueError):
        memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    return {
        "cores": os.cpu_count(),
        "memory_mb": memory_mb,
        "postgresql": database_version(),
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"not PostgreSQL: SQLite {cursor.fetchone()[0]}"
    return f"not PostgreSQL: {connection.vendor}"


# The database of 100 audits ---------------------------------------------------------------


def small_database_url(url: str | None = None) -> str:
    """The DATABASE_URL of the small database beside the main one: the same server, the
    database's name with ``_small`` added (a SQLite file: ``NAME_small.sqlite3``)."""
    url = url if url is not None else os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{Path(settings.BASE_DIR) / 'var' / 'db_small.sqlite3'}"
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        stem, dot, suffix = url.rpartition(".")
        return f"{stem}_small.{suffix}" if dot and "/" not in suffix else f"{url}_small"
    path = f"{parts.path.rstrip('/')}_small"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` on the main connection's server
    when it does not exist (SQLite files make themselves)."""
    if connection.vendor != "postgresql":
        return
    name = urlsplit(url).path.lstrip("/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            quoted = connection.ops.quote_name(name)
            cursor.execute(f"CREATE DATABASE {quoted}")


def small_queries(*, audits: int = 100, seed: int = 12, stdout=None) -> dict[str, int]:
    """Each page's queries at ``audits`` audits, counted on the small database: created
    and migrated when missing, its dataset built (or reused) by a child `benchmark`."""
    url = small_database_url()
    ensure_database(url)
    env = os.environ.copy() | {"DATABASE_URL": url}
    base = Path(settings.BASE_DIR)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=base,
        env=env,
        check=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "small.json"
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "benchmark",
                "--audits",
                str(audits),
                "--seed",
                str(seed),
                "--queries-only",
                "--json",
                str(out),
            ],
            cwd=base,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL if stdout is None else None,
        )
        return queries_from(json.loads(out.read_text()))


def queries_from(report: dict) -> dict[str, int]:
    """{page: queries} from a benchmark's JSON."""
    return {name: figures.get("queries") for name, figures in report.get("pages", {}).items()}
