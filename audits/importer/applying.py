"""Writing a checked plan: one transaction, bulk inserts and updates, every grade
recorded as an imported grade change and every audit logged."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from accounts.models import ServiceArea, Team, User
from common.bulk import insert_rows
from common.history import record_objects, record_rows

from ..models import (
    Audit,
    AuditEvent,
    AuditEventKind,
    Child,
    Domain,
    DomainGrading,
    GradeChangeStage,
)
from ..services.audit import audits_record_grades
from ..signals import FinalGrade, ImportedModeration, final_grades_set, moderations_imported
from .reading import Table
from .validation import Plan, PlannedAudit, PlannedGrading, Progress, planned_chunks

BATCH = 500
NAME_MAX = 80
UPDATED_FIELDS = (
    "audit_type",
    "child",
    "team",
    "auditor",
    "status",
    "completed_on",
    "month",
    "submitted_at",
    "accepted_at",
    "overall_grade",
    "overall_ri_band",
    "social_worker_involved",
    "team_manager_involved",
    "iro_involved",
    "child_spoken_to",
    "parent_carer_spoken_to",
    "lock_version",
    "updated_at",
)


def name_from_email(email: str) -> tuple[str, str]:
    """("Jane", "Smith") from jane.smith@council.gov.uk; the local part alone if it has
    no separator."""
    parts = [part for part in re.split(r"[._+]+", email.split("@", 1)[0]) if part]

    def proper(word: str) -> str:
        return "-".join(piece.capitalize() for piece in word.split("-"))

    if not parts:
        return email[:NAME_MAX], ""
    return proper(parts[0])[:NAME_MAX], " ".join(proper(part) for part in parts[1:])[:NAME_MAX]


@transaction.atomic
def apply_plan(
    plan: Plan,
    table: Table,
    *,
    user: User | None,
    source_name: str,
    progress: Progress | None = None,
) -> tuple[int, int]:
    """Create and update the planned audits, reading the checked file again a chunk of
    rows at a time; returns (created, updated). ``progress(done, total)`` is called as
    the chunks are written."""
    _create_reference_data(plan, user)
    created = updated = 0
    total = plan.to_write
    for planned in planned_chunks(table, plan):
        if not planned:
            continue
        new, changed = _apply_chunk(planned, plan, user=user, source_name=source_name)
        created += new
        updated += changed
        if progress:
            progress(created + updated, total)
    return created, updated


def _apply_chunk(
    planned: list[PlannedAudit], plan: Plan, *, user: User | None, source_name: str
) -> tuple[int, int]:
    """One chunk: a few bulk statements whatever its size. Other apps hear of the
    chunk's final grades and moderations through one signal each."""
    now = timezone.now()
    note = f"Imported from {source_name}"[:200]
    created, created_grades = _create_audits(planned, plan, now, user)
    updated, previous_grades = _update_audits(planned, plan, now, user)

    audits = created + updated
    for audit in updated:
        getattr(audit, "_prefetched_objects_cache", {}).pop("gradings", None)
    moderations = {p.reference: p.moderation for p in planned if p.moderation}
    # The moderation import reads the gradings of the audits it moderates.
    prefetch_related_objects(
        updated + [a for a in created if a.reference in moderations], "gradings"
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(audit=audit, user=user, kind=AuditEventKind.IMPORTED, note=note)
            for audit in created
        ]
        + [
            AuditEvent(
                audit=audit,
                user=user,
                kind=AuditEventKind.UPDATED,
                note=f"Updated from {source_name}"[:200],
            )
            for audit in updated
        ],
        batch_size=BATCH,
    )
    audits_record_grades(
        created,
        user,
        GradeChangeStage.IMPORTED,
        reason=note,
        domain_grades=created_grades,
        new=True,
    )
    audits_record_grades(updated, user, GradeChangeStage.IMPORTED, reason=note)
    final_grades = []
    for audit in audits:
        previous = previous_grades.get(audit.pk, "")
        if audit.overall_grade != previous:
            final_grades.append(
                FinalGrade(audit=audit, grade=audit.overall_grade, previous_grade=previous)
            )
    final_grades_set.send(sender=Audit, grades=final_grades, user=user)
    imported = [
        _moderation(audit, moderations[audit.reference], plan)
        for audit in audits
        if audit.reference in moderations
    ]
    if imported:
        moderations_imported.send(sender=Audit, moderations=imported, user=user)
    return len(created), len(updated)


def _moderation(audit: Audit, moderation, plan: Plan) -> ImportedModeration:
    lookups = plan.lookups
    keys = {domain.pk: key for key, domain in lookups.domains.items()}
    domain_grades = {
        grading.domain_id: moderation.domains.get(keys.get(grading.domain_id), grading.grade)
        for grading in audit.gradings.all()
    }
    return ImportedModeration(
        audit=audit,
        moderated_grade=moderation.overall,
        domain_grades=domain_grades,
        moderator=lookups.people.get(moderation.moderator) if moderation.moderator else None,
        moderated_on=moderation.moderated_on,
    )


def _grading(audit: Audit, domain: Domain, wanted: PlannedGrading) -> dict:
    """A domain grading's values, by attname."""
    return {
        "audit_id": audit.pk,
        "domain_id": domain.pk,
        "grade": wanted.grade,
        "ri_band": wanted.ri_band,
        "evidence": wanted.evidence or "",
    }


def _create_audits(
    chunk: list[PlannedAudit], plan: Plan, now, user: User | None
) -> tuple[list[Audit], dict[int, dict[int, str]]]:
    """The new audits and their gradings, in bulk (the gradings without model
    instances); returns the audits and each one's grades by domain id."""
    lookups = plan.lookups
    planned = [p for p in chunk if p.existing is None]
    created = [
        Audit(
            reference=p.reference,
            template=lookups.template,
            is_imported=True,
            created_at=now,
            **_fields(p, plan),
        )
        for p in planned
    ]
    Audit.objects.bulk_create(created, batch_size=BATCH)
    gradings = [
        _grading(audit, lookups.domains[wanted.domain], wanted)
        for audit, p in zip(created, planned, strict=True)
        for wanted in p.gradings
    ]
    insert_rows(DomainGrading, gradings)
    record_objects(Audit, created, change="+", user=user, at=now)
    keys = [audit.pk for audit in created]
    for start in range(0, len(keys), BATCH):
        written = DomainGrading.objects.filter(audit_id__in=keys[start : start + BATCH])
        record_rows(written, change="+", user=user, at=now)
    grades: dict[int, dict[int, str]] = {audit.pk: {} for audit in created}
    for row in gradings:
        grades[row["audit_id"]][row["domain_id"]] = row["grade"]
    return created, grades


def _update_audits(
    chunk: list[PlannedAudit], plan: Plan, now, user: User | None
) -> tuple[list[Audit], dict[int, str]]:
    """The changed audits and gradings, in bulk; returns the audits and each one's
    overall grade before the import."""
    lookups = plan.lookups
    updated: list[Audit] = []
    previous_grades: dict[int, str] = {}
    new_gradings: list[DomainGrading] = []
    changed_gradings: list[DomainGrading] = []
    for planned in chunk:
        audit = planned.existing
        if audit is None:
            continue
        previous_grades[audit.pk] = audit.overall_grade
        for name, value in _fields(planned, plan).items():
            setattr(audit, name, value)
        audit.lock_version += 1
        audit.updated_at = now
        updated.append(audit)
        recorded = {grading.domain_id: grading for grading in audit.gradings.all()}
        for wanted in planned.gradings:
            domain = lookups.domains[wanted.domain]
            grading = recorded.get(domain.pk)
            if grading is None:
                new_gradings.append(DomainGrading(**_grading(audit, domain, wanted)))
                continue
            evidence = grading.evidence if wanted.evidence is None else wanted.evidence
            values = (wanted.grade, wanted.ri_band, evidence)
            if (grading.grade, grading.ri_band, grading.evidence) != values:
                grading.grade, grading.ri_band, grading.evidence = values
                changed_gradings.append(grading)
    Audit.objects.bulk_update(updated, UPDATED_FIELDS, batch_size=BATCH)
    DomainGrading.objects.bulk_create(new_gradings, batch_size=BATCH)
    DomainGrading.objects.bulk_update(
        changed_gradings, ["grade", "ri_band", "evidence"], batch_size=BATCH
    )
    record_objects(Audit, updated, change="~", user=user, at=now)
    record_objects(DomainGrading, new_gradings, change="+", user=user, at=now)
    record_objects(DomainGrading, changed_gradings, change="~", user=user, at=now)
    return updated, previous_grades


def _fields(planned: PlannedAudit, plan: Plan) -> dict:
    lookups = plan.lookups
    return planned.audit_fields(
        team_id=lookups.teams[planned.team].pk,
        child_id=lookups.children[planned.child_ref].pk,
        auditor_id=lookups.people[planned.auditor].pk,
    )


def _create_reference_data(plan: Plan, user: User | None) -> None:
    """Create what --create-missing planned, and the children the file names for the
    first time, adding each to the lookups so the audits can refer to them."""
    lookups = plan.lookups
    areas = ServiceArea.objects.bulk_create(
        [ServiceArea(name=name) for name in plan.new_areas.values()]
    )
    lookups.areas.update(zip(plan.new_areas, areas, strict=True))
    teams = Team.objects.bulk_create(
        [
            Team(name=name, service_area=lookups.areas[area_key])
            for (area_key, _), name in plan.new_teams.items()
        ]
    )
    lookups.teams.update(zip(plan.new_teams, teams, strict=True))
    domains = Domain.objects.bulk_create([Domain(name=name) for name in plan.new_domains.values()])
    lookups.domains.update(zip(plan.new_domains, domains, strict=True))
    record_objects(Domain, domains, change="+", user=user)
    people = []
    for email in plan.new_people.values():
        first_name, last_name = name_from_email(email)
        person = User(email=email, first_name=first_name, last_name=last_name, is_active=False)
        person.set_unusable_password()
        people.append(person)
    User.objects.bulk_create(people)
    lookups.people.update(zip(plan.new_people, people, strict=True))
    children = Child.objects.bulk_create(
        [
            Child(case_reference=reference, team=lookups.teams[team], legal_status=status)
            for reference, (team, status) in plan.new_children.items()
        ],
        batch_size=BATCH,
    )
    lookups.children.update(zip(plan.new_children, children, strict=True))
    record_objects(Child, children, change="+", user=user)
