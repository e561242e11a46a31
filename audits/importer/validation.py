"""Checking every row before anything is written, and planning what the import does.

Checking writes nothing: records that --create-missing would create are only planned
here, so a dry run and a failed import leave the database exactly as it was.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from common.dates import month_start

from ..models import Audit, AuditStatus, GradeChange
from . import messages, values
from .columns import HEADING_ROW, PARTICIPATION, Columns, read_columns
from .lookups import Lookups
from .moderation import PlannedModeration, moderation_cells, plan_moderation
from .reading import Cell, Table, column_letter, filled
from .result import ImportResult, RowError
from .values import BadValue, name_key

#: how often (in rows) progress is reported while checking
PROGRESS_EVERY = 100
#: rows checked, and then written, at a time: memory stays flat in the file's size
CHUNK_ROWS = 1000
AREA_MAX, TEAM_MAX, REF_MAX, CHILD_REF_MAX, EMAIL_MAX = 120, 120, 60, 40, 254

Progress = Callable[[int, int], None]


@dataclass
class PlannedGrading:
    domain: str  # name_key of the domain
    grade: str
    ri_band: str
    #: None when the file has no evidence column for the domain: keep what is recorded
    evidence: str | None


@dataclass
class PlannedAudit:
    row: int
    reference: str
    audit_type: str
    child_ref: str
    team: tuple[str, str]  # (area key, team key)
    legal_status: str
    auditor: str  # email, lower case
    completed_on: datetime.date
    overall_grade: str
    overall_ri_band: str
    participation: dict[str, str]
    gradings: list[PlannedGrading]
    existing: Audit | None = None
    moderation: PlannedModeration | None = None

    def audit_fields(self, *, team_id: int, child_id: int, auditor_id: int) -> dict:
        """The audit's fields as the row gives them (participation only where the file
        has the column)."""
        at = timezone.make_aware(datetime.datetime.combine(self.completed_on, datetime.time(12)))
        return {
            "audit_type": self.audit_type,
            "child_id": child_id,
            "team_id": team_id,
            "auditor_id": auditor_id,
            "status": AuditStatus.ACCEPTED,
            "completed_on": self.completed_on,
            "month": month_start(self.completed_on),
            "submitted_at": at,
            "accepted_at": at,
            "overall_grade": self.overall_grade,
            "overall_ri_band": self.overall_ri_band,
            **self.participation,
        }


@dataclass
class Plan:
    columns: Columns
    lookups: Lookups
    create_missing: bool
    today: datetime.date
    #: how many audits the file creates or changes
    to_write: int = 0
    new_areas: dict[str, str] = field(default_factory=dict)
    new_teams: dict[tuple[str, str], str] = field(default_factory=dict)
    new_domains: dict[str, str] = field(default_factory=dict)
    new_people: dict[str, str] = field(default_factory=dict)
    #: case reference -> (team key, legal status) of the row that first names the child
    new_children: dict[str, tuple[tuple[str, str], str]] = field(default_factory=dict)

    def area_name(self, key: str) -> str:
        area = self.lookups.areas.get(key)
        return area.name if area else self.new_areas.get(key, "")

    def created_names(self) -> dict[str, list[str]]:
        return {
            "service_areas": list(self.new_areas.values()),
            "teams": [
                f"{name} ({self.area_name(area_key)})"
                for (area_key, _), name in self.new_teams.items()
            ],
            "domains": list(self.new_domains.values()),
            "people": list(self.new_people.values()),
            "children": list(self.new_children),
        }


def check_table(
    table: Table,
    *,
    create_missing: bool,
    dry_run: bool = False,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> tuple[Plan | None, ImportResult]:
    """Check every row and plan the import. The result lists every error; the plan is
    None when the headings are wrong and the rows cannot be read. The rows are read a
    chunk at a time and not kept: ``planned_chunks`` reads them again to write them."""
    result = ImportResult(notes=list(table.notes), dry_run=dry_run)
    columns, heading_errors = read_columns(table.headers, table.rows)
    if heading_errors:
        result.add_errors(
            RowError(HEADING_ROW, error.column, error.value, error.message)
            for error in heading_errors
        )
        return None, result
    total = sum(1 for _ in table.rows)
    if not total:
        result.add_error(RowError(None, "", "", messages.FILE_NO_ROWS))
        return None, result
    result.rows = total
    plan = Plan(
        columns=columns,
        lookups=Lookups.load(),
        create_missing=create_missing,
        today=today or timezone.localdate(),
    )
    checker = _RowChecker(plan)
    result.add_errors(checker.check_domains())
    if progress:
        progress(0, total)
    for chunk in _checked_chunks(table, checker, result.add_errors, progress, total):
        for planned, changes in chunk:
            if planned.existing is None:
                result.to_create += 1
            elif changes:
                result.to_update += 1
            else:
                result.unchanged += 1
    plan.to_write = result.to_create + result.to_update
    if result.to_create and plan.lookups.template is None:
        result.add_error(RowError(None, "", "", messages.NO_TEMPLATE))
    result.created = plan.created_names()
    return plan, result


def planned_chunks(table: Table, plan: Plan):
    """The audits to create or change, a chunk of rows at a time, as checked by
    ``check_table`` (which found no error). Used to write them."""
    checker = _RowChecker(plan)

    def refuse(errors):
        if errors:
            raise RuntimeError("a row checked before has an error now")

    for chunk in _checked_chunks(table, checker, refuse):
        yield [planned for planned, changes in chunk if changes]


def _chunked(rows, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _checked_chunks(
    table: Table,
    checker: _RowChecker,
    on_errors,
    progress: Progress | None = None,
    total: int = 0,
):
    """For each chunk of rows: the planned audits of its rows without errors, each with
    whether it creates or changes an audit. Errors go to ``on_errors``;
    ``progress(done, total)`` is called every PROGRESS_EVERY rows."""
    done = 0
    columns = checker.columns
    email, child, reference = (
        columns.fixed[name] for name in ("auditor_email", "child_ref", "audit_ref")
    )
    for rows in _chunked(table.rows, CHUNK_ROWS):
        emails = set()
        for _, cells in rows:
            emails.add(_text(cells, email).lower())
            _, moderator = moderation_cells(cells, columns).get("moderator_email", (None, ""))
            emails.add(values.text(moderator).lower())
        checker.lookups.load_rows(
            emails=emails,
            child_refs={_text(cells, child) for _, cells in rows},
            audit_refs={_text(cells, reference) for _, cells in rows},
        )
        checker.planned = []
        for number, cells in rows:
            on_errors(checker.check(number, cells))
            done += 1
            if progress and (done % PROGRESS_EVERY == 0 or done == total):
                progress(done, total)
        latest = _latest_grades(checker.planned)
        yield [
            (
                planned,
                planned.existing is None or _changes(planned, checker.plan, latest),
            )
            for planned in checker.planned
        ]


def _text(cells: list[Cell], index: int) -> str:
    return values.text(cells[index]) if index < len(cells) else ""


def _latest_grades(planned_audits: list[PlannedAudit]) -> dict[int, dict[int | None, str]]:
    """For each existing audit whose row records a moderation: the grades last recorded
    for it (overall under None), read in one query."""
    ids = [p.existing.pk for p in planned_audits if p.existing is not None and p.moderation]
    latest: dict[int, dict[int | None, str]] = {}
    if not ids:
        return latest
    changes = (
        GradeChange.objects.filter(audit_id__in=ids)
        .order_by("audit_id", "changed_at", "pk")
        .values_list("audit_id", "domain_id", "new_grade")
    )
    for audit_id, domain_id, grade in changes:
        latest.setdefault(audit_id, {})[domain_id] = grade
    return latest


class _RowChecker:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.lookups = plan.lookups
        self.columns = plan.columns
        self.create_missing = plan.create_missing
        self.today = plan.today
        self.first_row: dict[str, int] = {}
        self.planned: list[PlannedAudit] = []

    def check_domains(self) -> list[RowError]:
        errors = []
        for domain in self.columns.domains:
            if domain.key in self.lookups.domains:
                continue
            if self.create_missing:
                self.plan.new_domains.setdefault(domain.key, domain.name)
            else:
                errors.append(
                    RowError(
                        HEADING_ROW,
                        self.columns.heading(domain.grade),
                        domain.name,
                        messages.UNKNOWN_DOMAIN.format(name=domain.name),
                    )
                )
        return errors

    def check(self, row: int, cells: list[Cell]) -> list[RowError]:
        errors: list[RowError] = []
        columns = self.columns

        def cell(name: str) -> Cell:
            index = columns.fixed.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        def fail(name_or_index, value: Cell, message: str) -> None:
            column = (
                columns.heading(name_or_index)
                if isinstance(name_or_index, int)
                else columns.heading(columns.fixed[name_or_index])
            )
            errors.append(RowError(row, column, values.text(value), message))

        def parse(name: str, parser, *args):
            try:
                return parser(cell(name), *args)
            except BadValue as bad:
                fail(name, cell(name), bad.message)
                return None

        for index in range(len(columns.headers), len(cells)):
            if filled(cells[index]):
                errors.append(
                    RowError(
                        row,
                        f"column {column_letter(index)}",
                        values.text(cells[index]),
                        messages.TOO_MANY_VALUES,
                    )
                )

        reference = self._reference(row, cell("audit_ref"), fail)
        audit_type = parse("audit_type", values.audit_type)
        team = self._team(cell("service_area"), cell("team"), fail)
        child_ref = values.text(cell("child_ref"))
        if not child_ref:
            fail("child_ref", "", messages.CHILD_REF_MISSING)
        elif len(child_ref) > CHILD_REF_MAX:
            fail("child_ref", child_ref, messages.NAME_TOO_LONG.format(limit=CHILD_REF_MAX))
        legal_status = parse("legal_status", values.legal_status)
        auditor = self._auditor(cell("auditor_email"), fail)
        completed_on = parse("completed_on", values.completed_on, self.today)
        overall = parse("overall_grade", values.overall_grade)
        participation = {}
        for name in PARTICIPATION:
            if name in columns.fixed:
                participation[name] = parse(name, values.involvement)
        gradings = []
        for domain in columns.domains:
            value = cells[domain.grade] if domain.grade < len(cells) else ""
            try:
                grade, band = values.domain_grade(value)
            except BadValue as bad:
                fail(domain.grade, value, bad.message)
                continue
            evidence = None
            if domain.evidence is not None:
                evidence = values.text(
                    cells[domain.evidence] if domain.evidence < len(cells) else ""
                )
            gradings.append(PlannedGrading(domain.key, grade, band, evidence))
        moderation = plan_moderation(
            cells,
            columns,
            completed_on=completed_on,
            domain_keys={domain.key for domain in columns.domains},
            today=self.today,
            fail=fail,
            check_person=lambda index, email: self._moderator(index, email, fail),
        )
        if errors:
            return errors
        if child_ref not in self.lookups.children:
            self.plan.new_children.setdefault(child_ref, (team, legal_status))
        self.planned.append(
            PlannedAudit(
                row=row,
                reference=reference,
                audit_type=audit_type,
                child_ref=child_ref,
                team=team,
                legal_status=legal_status,
                auditor=auditor,
                completed_on=completed_on,
                overall_grade=overall[0],
                overall_ri_band=overall[1],
                participation=participation,
                gradings=gradings,
                existing=self.lookups.audits.get(reference),
                moderation=moderation,
            )
        )
        return errors

    def _reference(self, row: int, value: Cell, fail) -> str:
        reference = values.text(value)
        if not reference:
            fail("audit_ref", "", messages.AUDIT_REF_MISSING)
        elif len(reference) > REF_MAX:
            fail("audit_ref", reference, messages.NAME_TOO_LONG.format(limit=REF_MAX))
        elif reference in self.first_row:
            fail(
                "audit_ref",
                reference,
                messages.AUDIT_REF_DUPLICATE.format(row=self.first_row[reference]),
            )
        else:
            self.first_row[reference] = row
            existing = self.lookups.audits.get(reference)
            if existing is not None and not existing.is_imported:
                fail("audit_ref", reference, messages.AUDIT_REF_NOT_IMPORTED)
        return reference

    def _team(self, area_value: Cell, team_value: Cell, fail) -> tuple[str, str] | None:
        area_name, team_name = values.text(area_value), values.text(team_value)
        area_key, team_key = name_key(area_name), name_key(team_name)
        area_ok = False
        if not area_name:
            fail("service_area", "", messages.SERVICE_AREA_MISSING)
        elif area_key in self.lookups.areas:
            area_ok = True
        elif len(area_name) > AREA_MAX:
            fail("service_area", area_name, messages.NAME_TOO_LONG.format(limit=AREA_MAX))
        elif self.create_missing:
            self.plan.new_areas.setdefault(area_key, area_name)
            area_ok = True
        else:
            fail("service_area", area_name, messages.SERVICE_AREA_UNKNOWN)
        if not team_name:
            fail("team", "", messages.TEAM_MISSING)
            return None
        if not area_ok:
            return None
        key = (area_key, team_key)
        if key in self.lookups.teams:
            return key
        area_shown = self.plan.area_name(area_key)
        elsewhere = self.lookups.team_areas.get(team_key)
        if elsewhere:
            fail(
                "team",
                team_name,
                messages.TEAM_NOT_IN_AREA.format(actual=" and ".join(elsewhere), area=area_shown),
            )
        elif len(team_name) > TEAM_MAX:
            fail("team", team_name, messages.NAME_TOO_LONG.format(limit=TEAM_MAX))
        elif self.create_missing:
            self.plan.new_teams.setdefault(key, team_name)
            return key
        else:
            fail("team", team_name, messages.TEAM_UNKNOWN.format(area=area_shown))
        return None

    def _auditor(self, value: Cell, fail) -> str:
        email = values.text(value)
        key = email.lower()
        if not email:
            fail("auditor_email", "", messages.AUDITOR_MISSING)
        elif key in self.lookups.people:
            pass
        elif len(email) > EMAIL_MAX or not _is_email(email):
            fail("auditor_email", email, messages.AUDITOR_INVALID)
        elif self.create_missing:
            self.plan.new_people.setdefault(key, key)
        else:
            fail("auditor_email", email, messages.AUDITOR_UNKNOWN)
        return key

    def _moderator(self, index: int, email: str, fail) -> str:
        key = email.lower()
        if key in self.lookups.people:
            pass
        elif len(email) > EMAIL_MAX or not _is_email(email):
            fail(index, email, messages.MODERATOR_INVALID)
        elif self.create_missing:
            self.plan.new_people.setdefault(key, key)
        else:
            fail(index, email, messages.MODERATOR_UNKNOWN)
        return key


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _changes(planned: PlannedAudit, plan: Plan, latest: dict) -> bool:
    """Whether importing the row would change the existing audit in any way."""
    lookups = plan.lookups
    existing = planned.existing
    team = lookups.teams.get(planned.team)
    child = lookups.children.get(planned.child_ref)
    auditor = lookups.people.get(planned.auditor)
    if team is None or child is None or auditor is None:
        return True
    wanted = planned.audit_fields(team_id=team.pk, child_id=child.pk, auditor_id=auditor.pk)
    if any(getattr(existing, name) != value for name, value in wanted.items()):
        return True
    recorded = {grading.domain_id: grading for grading in existing.gradings.all()}
    for planned_grading in planned.gradings:
        domain = lookups.domains.get(planned_grading.domain)
        grading = recorded.get(domain.pk) if domain else None
        if grading is None or (grading.grade, grading.ri_band) != (
            planned_grading.grade,
            planned_grading.ri_band,
        ):
            return True
        if planned_grading.evidence is not None and grading.evidence != planned_grading.evidence:
            return True
    return planned.moderation is not None and _moderation_changes(
        planned, plan, latest.get(existing.pk, {})
    )


def _moderation_changes(planned: PlannedAudit, plan: Plan, latest: dict) -> bool:
    """Whether the row's moderation differs from the grades last recorded for the audit
    (moderation records its regrades as the audit's grade changes)."""
    moderation = planned.moderation
    if latest.get(None) != moderation.overall:
        return True
    for planned_grading in planned.gradings:
        domain = plan.lookups.domains.get(planned_grading.domain)
        wanted = moderation.domains.get(planned_grading.domain, planned_grading.grade)
        if domain is None or latest.get(domain.pk, planned_grading.grade) != wanted:
            return True
    return False
