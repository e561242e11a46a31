"""Writing the demo council's year of audits: rounds, audits, their content and history.

Everything is bulk-created; grade history goes through audits.services.audit.
audit_record_grades, as at submission.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import OuterRef, Subquery

from common.dates import add_months
from common.history import record_objects

from . import demo_phrases as phrases
from .demo_year import (
    FIRST_OFFSET,
    GRADED_STATUSES,
    LAST_OFFSET,
    AuditYearPlan,
    Slot,
    moment,
)
from .models import (
    GRADED,
    AllocationRound,
    Answer,
    Audit,
    AuditEvent,
    AuditEventKind,
    AuditStatus,
    AuditType,
    DomainGrading,
    Exemption,
    ExemptionKind,
    ExemptionStatus,
    Grade,
    GradeChange,
    GradeChangeStage,
    Involvement,
    LegalStatus,
    NotSpokenReason,
    ProposedAction,
    QuestionKind,
    RIBand,
    RoundStatus,
    SocialWorkerReply,
    grade_rank,
)
from .services.audit import CHILD_SPEAKING_AGE, audit_record_grades


class AuditYear(AuditYearPlan):
    """The planned year, written to the database."""

    def write_rounds(self, slots: list[Slot]) -> dict[int, AllocationRound]:
        """One round a month. The demo picks PER_TEAM children from some of the teams in
        rotation, not from each team, so each round asks for the total it holds."""
        planned = Counter(s.offset for s in slots if s.reaudit_of is None)
        rounds = []
        for offset in range(FIRST_OFFSET, LAST_OFFSET + 1):
            month = self.month(offset)
            created = moment(add_months(month, -1).replace(day=15), self.today, 30)
            published = offset <= 0
            rounds.append(
                AllocationRound(
                    month=month,
                    status=RoundStatus.PUBLISHED if published else RoundStatus.DRAFT,
                    total=planned[offset],
                    due_date=self.due_date(month),
                    created_by=self.qa_lead,
                    created_at=created,
                    published_by=self.qa_lead if published else None,
                    published_at=(
                        moment(add_months(month, -1).replace(day=20), self.today, 60)
                        if published
                        else None
                    ),
                )
            )
        AllocationRound.objects.bulk_create(rounds)
        return dict(zip(range(FIRST_OFFSET, LAST_OFFSET + 1), rounds, strict=True))

    def write_audits(self, slots: list[Slot], rounds: dict[int, AllocationRound]) -> None:
        for slot in slots:
            slot.audit = self._audit(slot, rounds)
        Audit.objects.bulk_create([s.audit for s in slots if s.reaudit_of is None])
        for slot in slots:
            if slot.reaudit_of is not None:
                slot.audit.reaudit_of = slot.reaudit_of.audit
        Audit.objects.bulk_create([s.audit for s in slots if s.reaudit_of is not None])
        record_objects(Audit, [s.audit for s in slots], change="+")

    def _audit(self, slot: Slot, rounds) -> Audit:
        rng, child = self.rng, slot.child
        team = self.team_by_id[child.team_id]
        due = self.due_date(slot.month)
        round_ = None if slot.reaudit_of else rounds[slot.offset]
        if round_ is None:
            allocated_at = moment(slot.month, self.today, 30)
        else:
            allocated_at = round_.published_at or round_.created_at
        audit = Audit(
            audit_type=AuditType.RE_AUDIT if slot.reaudit_of else AuditType.CHILD_JOURNEY,
            child=child,
            template=slot.template,
            auditor=slot.auditor,
            allocation_round=round_,
            team=team,
            month=slot.month,
            due_date=due,
            status=slot.status,
            allocated_by=self.qa_lead,
            allocation_note="Re-audit after an Inadequate grade" if slot.reaudit_of else "",
            created_at=allocated_at,
        )
        status = slot.status
        if status in (AuditStatus.IN_PROGRESS, *GRADED_STATUSES):
            started = slot.month + datetime.timedelta(days=rng.randint(1, 14))
            audit.started_at = moment(started, self.today, rng.randint(0, 479))
            audit.lock_version = rng.randint(2, 9)
        if status in GRADED_STATUSES:
            self._fill(audit, slot)
            done = self.completed_on(slot)
            audit.started_at = min(audit.started_at, moment(done, self.today, 0))
            audit.submitted_at = moment(done, self.today, rng.randint(0, 479))
            audit.completed_on = done
            decided = min(done + datetime.timedelta(days=rng.randint(2, 10)), self.today)
            if status == AuditStatus.ACCEPTED:
                audit.accepted_at = max(
                    moment(decided, self.today, rng.randint(0, 479)), audit.submitted_at
                )
                audit.accepted_by = self.qa_lead
            elif status == AuditStatus.RETURNED:
                audit.returned_at = max(
                    moment(decided, self.today, rng.randint(0, 479)), audit.submitted_at
                )
                audit.return_comments = rng.choice(phrases.RETURN_COMMENTS)
        return audit

    def _fill(self, audit: Audit, slot: Slot) -> None:
        rng = self.rng
        audit.overall_grade = slot.overall
        audit.overall_ri_band = slot.ri_band
        audit.overall_rationale = rng.choice(phrases.RATIONALE[slot.overall])
        audit.strengths = " ".join(rng.sample(phrases.STRENGTHS, 2))
        audit.areas_for_development = " ".join(rng.sample(phrases.AREAS_FOR_DEVELOPMENT, 2))
        child = slot.child
        leaving_care = child.legal_status == LegalStatus.CARE_LEAVER
        audit.social_worker_involved = Involvement.YES if rng.random() < 0.8 else Involvement.NO
        audit.team_manager_involved = rng.choices(
            [Involvement.YES, Involvement.NO, Involvement.NOT_APPLICABLE], [0.65, 0.3, 0.05]
        )[0]
        has_iro = child.legal_status in (
            LegalStatus.CHILD_PROTECTION,
            LegalStatus.CHILD_IN_CARE,
        )
        audit.iro_involved = (
            (Involvement.YES if rng.random() < 0.6 else Involvement.NO)
            if has_iro
            else Involvement.NOT_APPLICABLE
        )
        age = child.age_on(slot.month)
        if age is not None and age < CHILD_SPEAKING_AGE:
            audit.child_spoken_to = Involvement.NOT_APPLICABLE
        elif rng.random() < 0.7:
            audit.child_spoken_to = Involvement.YES
        else:
            audit.child_spoken_to = Involvement.NO
            audit.child_not_spoken_reason = rng.choice(NotSpokenReason.values)
        if leaving_care and rng.random() < 0.7:
            audit.parent_carer_spoken_to = Involvement.NOT_APPLICABLE
        elif rng.random() < 0.6:
            audit.parent_carer_spoken_to = Involvement.YES
        else:
            audit.parent_carer_spoken_to = Involvement.NO
            audit.parent_not_spoken_reason = rng.choice(NotSpokenReason.values)

    def write_content(self, slots: list[Slot]) -> None:
        gradings, answers, actions = [], [], []
        for slot in slots:
            if slot.status in GRADED_STATUSES:
                gradings += self._gradings(slot, slot.domain_grades)
                answers += self._answers(slot, everything=True)
                actions += self._actions(slot)
            elif slot.status == AuditStatus.IN_PROGRESS:
                draft = self._draft_grades(slot)
                gradings += self._gradings(slot, draft)
                answers += self._answers(slot, everything=False)
        DomainGrading.objects.bulk_create(gradings)
        Answer.objects.bulk_create(answers)
        record_objects(DomainGrading, gradings, change="+")
        record_objects(Answer, answers, change="+")
        ProposedAction.objects.bulk_create(actions)

    def _draft_grades(self, slot: Slot) -> dict[int, str]:
        domains = [s.domain_id for s in slot.template.sections.all() if s.domain_id]
        grade = self.rng.choice(GRADED)
        return dict.fromkeys(domains[: self.rng.randint(1, 3)], grade)

    def _evidence(self, name: str, grade: str) -> str:
        rng = self.rng
        bank = phrases.EVIDENCE[name]
        rank = grade_rank(grade)
        if rank is None:
            return (
                "Not graded: there have been no meetings or reviews in the period, as the "
                "case opened recently."
            )
        if rank >= 3:
            text = rng.sample(bank["strong"], 2)
            text += (
                bank["exceptional"]
                if rank == 4
                else [rng.choice(phrases.GENERIC_EVIDENCE["strong"])]
            )
        elif rank == 2:
            text = [rng.choice(bank["strong"]), rng.choice(bank["weak"])]
            text.append(rng.choice(phrases.GENERIC_EVIDENCE["weak"]))
        else:
            text = rng.sample(bank["weak"], 2) + [rng.choice(phrases.GENERIC_EVIDENCE["weak"])]
        return " ".join(text)

    def _gradings(self, slot: Slot, grades: dict[int, str]) -> list[DomainGrading]:
        names = {s.domain_id: s.domain.name for s in slot.template.sections.all() if s.domain_id}
        return [
            DomainGrading(
                audit=slot.audit,
                domain_id=domain_id,
                grade=grade,
                ri_band=(
                    self.rng.choice([RIBand.UPPER, RIBand.LOWER])
                    if grade == Grade.REQUIRES_IMPROVEMENT
                    else ""
                ),
                evidence=self._evidence(names[domain_id], grade),
            )
            for domain_id, grade in grades.items()
        ]

    def _answers(self, slot: Slot, everything: bool) -> list[Answer]:
        rng, answers = self.rng, []
        overall_rank = grade_rank(slot.overall) or rng.randint(1, 4)
        sections = list(slot.template.sections.all())
        if not everything:
            sections = sections[:1]
        for section in sections:
            grade = slot.domain_grades.get(section.domain_id) if section.domain_id else None
            rank = grade_rank(grade) if grade else overall_rank
            for question in section.questions.all():
                if not everything and rng.random() < 0.4:
                    continue
                value, comment = self._answer(slot, question, rank, grade)
                answers.append(
                    Answer(audit=slot.audit, question=question, value=value, comment=comment)
                )
        return answers

    def _answer(self, slot: Slot, question, rank: int | None, grade: str | None):
        rng = self.rng
        if question.kind == QuestionKind.YES_NO:
            if grade == Grade.NOT_GRADED:
                return "not_applicable", ""
            weights = {4: [0.92, 0.08, 0], 3: [0.75, 0.2, 0.05], 2: [0.4, 0.35, 0.25]}
            value = rng.choices(["yes", "partly", "no"], weights.get(rank, [0.1, 0.3, 0.6]))[0]
            comment = rng.choice(phrases.ANSWER_COMMENTS[value]) if question.needs_comment else ""
            return value, comment
        if question.kind == QuestionKind.NUMBER:
            low, high = {4: (1, 1), 3: (1, 2), 2: (2, 3)}.get(rank, (3, 5))
            return rng.randint(low, high), ""
        if question.kind == QuestionKind.SINGLE_CHOICE:
            label = slot.child.get_legal_status_display()
            return (label if label in question.choices else rng.choice(question.choices)), ""
        if question.kind == QuestionKind.MULTIPLE_CHOICE:
            low, high = {4: (4, 5), 3: (3, 4), 2: (1, 3)}.get(rank, (0, 1))
            picked = rng.sample(
                question.choices, min(len(question.choices), rng.randint(low, high))
            )
            return [c for c in question.choices if c in picked], ""
        if question.text.startswith("Summary"):
            return phrases.JOURNEY_SUMMARY[slot.child.legal_status], ""
        return rng.choice(phrases.LIFE_NOW), ""

    def _actions(self, slot: Slot) -> list[ProposedAction]:
        if slot.overall not in (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE):
            return []
        names = {s.domain_id: s.domain.name for s in slot.template.sections.all() if s.domain_id}
        weakest = sorted(slot.domain_grades.items(), key=lambda item: grade_rank(item[1]) or 5)
        manager = self.team_by_id[slot.child.team_id].manager
        done = slot.audit.completed_on
        actions = []
        for order, (domain_id, _) in enumerate(weakest[: self.rng.randint(1, 3)]):
            actions.append(
                ProposedAction(
                    audit=slot.audit,
                    order=order,
                    text=self.rng.choice(phrases.ACTIONS[names[domain_id]]),
                    for_child_plan=self.rng.random() < 0.5,
                    suggested_owner=manager,
                    suggested_due=done + datetime.timedelta(days=28) if done else None,
                )
            )
        return actions

    def write_history(self, slots: list[Slot]) -> None:
        """Grade changes (through audit_record_grades, as at submission), events,
        replies and the exemptions behind exempted audits."""
        graded = [s.audit for s in slots if s.status in GRADED_STATUSES]
        for audit in graded:
            audit_record_grades(audit, audit.auditor, GradeChangeStage.SUBMITTED)
        GradeChange.objects.filter(audit__in=graded).update(
            changed_at=Subquery(
                Audit.objects.filter(pk=OuterRef("audit_id")).values("submitted_at")[:1]
            )
        )
        events = [e for slot in slots for e in self._events(slot)]
        replies, reply_events = self._replies(slots)
        SocialWorkerReply.objects.bulk_create(replies)
        AuditEvent.objects.bulk_create(events + reply_events)
        Exemption.objects.bulk_create(self._exemptions(slots))

    def _events(self, slot: Slot) -> list[AuditEvent]:
        audit, events = slot.audit, []

        def add(kind, user, at, note=""):
            events.append(AuditEvent(audit=audit, user=user, kind=kind, at=at, note=note))

        if audit.status == AuditStatus.PROPOSED:
            return events
        add(AuditEventKind.ALLOCATED, self.qa_lead, audit.created_at)
        if audit.started_at:
            add(AuditEventKind.SAVED, audit.auditor, audit.started_at, "First draft")
        if audit.submitted_at:
            add(AuditEventKind.SUBMITTED, audit.auditor, audit.submitted_at)
        decided = audit.accepted_at or audit.returned_at
        if decided:
            viewed = max(decided - datetime.timedelta(minutes=20), audit.submitted_at)
            add(AuditEventKind.VIEWED, self.qa_lead, viewed)
            kind = AuditEventKind.ACCEPTED if audit.accepted_at else AuditEventKind.RETURNED
            add(kind, self.qa_lead, decided)
        if audit.status == AuditStatus.CANCELLED:
            note = self.rng.choice(phrases.CANCEL_NOTES)
            add(AuditEventKind.CANCELLED, self.qa_lead, moment(slot.month, self.today, 90), note)
        return events

    def _replies(self, slots: list[Slot]) -> tuple[list[SocialWorkerReply], list[AuditEvent]]:
        replies, events = [], []
        for slot in slots:
            audit = slot.audit
            worker = self.users_by_id.get(slot.child.social_worker_id)
            wanted = slot.reply or self.rng.random() < 0.08
            if audit.status != AuditStatus.ACCEPTED or worker is None or not wanted:
                continue
            stance = self.rng.choices(list(phrases.REPLIES), [0.7, 0.2, 0.1])[0]
            at = max(
                audit.accepted_at,
                moment(audit.accepted_at.date() + datetime.timedelta(days=3), self.today, 120),
            )
            text = self.rng.choice(phrases.REPLIES[stance])
            replies.append(
                SocialWorkerReply(
                    audit=audit, author=worker, stance=stance, text=text, created_at=at
                )
            )
            events.append(AuditEvent(audit=audit, user=worker, kind=AuditEventKind.REPLIED, at=at))
        return replies, events

    def _exemptions(self, slots: list[Slot]) -> list[Exemption]:
        exemptions, seen = [], set()
        for slot in slots:
            auditor = slot.auditor
            if slot.status != AuditStatus.EXEMPTED or (auditor.pk, slot.month) in seen:
                continue
            seen.add((auditor.pk, slot.month))
            team = self.team_by_id.get(auditor.team_id)
            head = team.service_area.head_of_service if team else None
            decider = head if head is not None and head.pk != auditor.pk else self.director
            requested = moment(add_months(slot.month, -1).replace(day=25), self.today, 60)
            exemptions.append(
                Exemption(
                    auditor=auditor,
                    kind=ExemptionKind.SINGLE_MONTH,
                    month=slot.month,
                    reason=self.rng.choice(phrases.EXEMPTION_REASONS),
                    status=ExemptionStatus.APPROVED,
                    requested_by=auditor.line_manager or auditor,
                    requested_at=requested,
                    decided_by=decider,
                    decided_at=requested + datetime.timedelta(days=2),
                    decision_reason="Approved: the audit is reallocated next month.",
                )
            )
        return exemptions
