"""Scoped reads: what each person may see. Each mirrors a rule in actions/rules.py."""

from __future__ import annotations

import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import Team, User
from accounts.permissions import is_qa_lead
from audits.models import Child, DomainGrading
from common.dates import add_months, month_start

from ..models import (
    Action,
    ActionSettings,
    ActionUpdate,
    CaseAudit,
    CaseOfConcern,
    CaseUpdate,
    ReauditProposal,
    ReauditStatus,
)
from ..services.reaudits import compare_grades
from ..status import open_q, with_status


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


# Actions ---------------------------------------------------------------------------


def actions_visible_to(user: User) -> QuerySet[Action]:
    """Mirrors actions.view_action: the owner, the manager of the child's team, the Head
    of Service of its service area; the QA Lead sees every action."""
    actions = Action.objects.select_related(
        "child__team__service_area", "team__service_area", "owner", "audit"
    )
    if not _active(user):
        return actions.none()
    if is_qa_lead(user):
        return actions
    # the children of the teams they lead, as a subquery: no join per action
    led = Team.objects.filter(Q(manager=user) | Q(service_area__head_of_service=user))
    return actions.filter(Q(owner=user) | Q(child__in=Child.objects.filter(team__in=led)))


def with_today_status(qs: QuerySet, today: datetime.date | None = None) -> QuerySet:
    settings = ActionSettings.load()
    return with_status(
        qs, today=today or timezone.localdate(), no_update_days=settings.no_update_days
    )


def my_actions(user: User, today: datetime.date | None = None) -> QuerySet[Action]:
    """The actions on a person's own tracker email: those they own and those of the
    children of the teams they manage, with their status."""
    qs = Action.objects.filter(Q(owner=user) | Q(child__team__manager=user))
    return with_today_status(qs, today)


def tracker_actions(user: User, today: datetime.date | None = None) -> QuerySet[Action]:
    """The actions on a person's tracker: those visible to them, with their status, to
    be filtered, then put in the tracker's order a page at a time by ``TrackerOrder``."""
    today = today or timezone.localdate()
    settings = ActionSettings.load()
    # Only the action's own columns: the page's children and owners are read after, for
    # its rows alone.
    return with_status(
        actions_visible_to(user).select_related(None),
        today=today,
        no_update_days=settings.no_update_days,
    )


class TrackerOrder:
    """The listed actions in the tracker's order, grouped by child: children with the
    earliest open due date among the listed actions first (so any child with an overdue
    action leads), then by case reference; within a child, open actions by due date,
    then completed ones.

    Sliced for a Paginator a page at a time in three queries whatever the number of
    actions: the count; the children the page holds, found by a window over the listed
    actions grouped by child (not over every action); and those children's actions,
    from the first of the page's."""

    def __init__(self, actions: QuerySet[Action]):
        self.actions = actions.order_by()

    def count(self) -> int:
        return self.actions.count()

    def _children(self, start: int, stop: int) -> list[dict]:
        """The children with listed actions at positions ``start`` to ``stop``: each with
        ``before``, the number of listed actions of the children ahead of them.

        Each listed action's open due date (none once closed) is read as a row, whatever
        way its status was found (from its stored dates, or grouped over its updates for
        a past day); the rows are grouped by child, each group joined to its child for
        the case reference, and a running count over the groups in the tracker's order
        keeps the page's. Joining the children before grouping would join every listed
        action."""
        rows = self.actions.annotate(
            open_due=Case(
                When(closed_on__isnull=True, then=F("due_date")), output_field=DateField()
            )
        ).values_list("child_id", "open_due")
        try:
            sql, params = rows.query.get_compiler(using=self.actions.db).as_sql()
        except EmptyResultSet:
            return []
        child = Child._meta.db_table
        with connections[self.actions.db].cursor() as cursor:
            cursor.execute(
                f"""
                SELECT child_id, upto - listed FROM (
                    SELECT g.child_id, g.listed, SUM(g.listed) OVER (
                        ORDER BY g.next_due ASC NULLS LAST, c.case_reference, g.child_id
                        ROWS UNBOUNDED PRECEDING
                    ) AS upto
                    FROM (
                        SELECT a.child_id, MIN(a.open_due) AS next_due, COUNT(*) AS listed
                        FROM ({sql}) a
                        GROUP BY a.child_id
                    ) g
                    JOIN {child} c ON c.id = g.child_id
                ) ranked
                WHERE upto > %s AND upto - listed < %s
                ORDER BY upto
                """,
                [*params, start, stop],
            )
            return [{"child": child_id, "before": int(before)} for child_id, before in cursor]

    def __getitem__(self, index: slice) -> list[Action]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("The tracker is read a page at a time")
        start, stop = index.start or 0, index.stop
        if start < 0 or (stop is not None and stop < 0):
            raise ValueError("The tracker is read from its start: no negative positions")
        if stop is None or stop <= start:
            return []
        children = self._children(start, stop)
        if not children:
            return []
        position = Case(
            *[When(child_id=row["child"], then=Value(i)) for i, row in enumerate(children)],
            output_field=IntegerField(),
        )
        skip = start - children[0]["before"]
        return list(
            self.actions.filter(child_id__in=[row["child"] for row in children])
            .annotate(
                child_position=position,
                open_rank=Case(
                    When(closed_on__isnull=True, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
            )
            .prefetch_related(
                "child",
                "owner",
                Prefetch(
                    "updates",
                    queryset=ActionUpdate.objects.select_related("created_by").order_by(
                        "created_at", "pk"
                    ),
                ),
            )
            .order_by("child_position", "open_rank", "due_date", "pk")[skip : skip + (stop - start)]
        )


def action_for_page(user: User, pk: int, today: datetime.date | None = None) -> Action:
    """One visible action with its status and updates; raises Action.DoesNotExist."""
    return (
        with_today_status(actions_visible_to(user), today)
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ActionUpdate.objects.select_related("created_by").order_by(
                    "-created_at", "-pk"
                ),
            )
        )
        .get(pk=pk)
    )


def owner_choices(action: Action) -> QuerySet[User]:
    """Who an action may be given to: active people in the child's team, its manager and
    its Head of Service, and whoever owns it now."""
    team = action.child.team
    return (
        User.objects.filter(
            Q(is_active=True)
            & (
                Q(team=team)
                | Q(pk=team.manager_id or 0)
                | Q(pk=team.service_area.head_of_service_id or 0)
            )
            | Q(pk=action.owner_id or 0)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def tracker_counts(user: User, today: datetime.date | None = None) -> dict[str, int]:
    """Open, overdue and silent actions on the person's own tracker, in one query."""
    # Aggregate names must differ from the annotations they filter on.
    counts = my_actions(user, today).aggregate(
        open_count=Count("pk", filter=open_q()),
        overdue_count=Count("pk", filter=Q(status="overdue")),
        no_update_count=Count("pk", filter=Q(no_update=True)),
    )
    return {name.removesuffix("_count"): value for name, value in counts.items()}


# Cases of Concern ------------------------------------------------------------------


def cases_visible_to(user: User) -> QuerySet[CaseOfConcern]:
    """Mirrors actions.view_case: the QA Lead sees every case; a Head of Service the
    cases they hold or that belong to the service area they head."""
    cases = CaseOfConcern.objects.select_related("child", "service_area", "team", "head_of_service")
    if not _active(user):
        return cases.none()
    if is_qa_lead(user):
        return cases
    return cases.filter(Q(head_of_service=user) | Q(service_area__head_of_service=user))


def over_months(opened_on: datetime.date, today: datetime.date, months: int) -> bool:
    """Open for more than ``months`` whole months: opened before the same day that many
    months ago."""
    return opened_on < add_months(today, -months)


def case_list(user: User, today: datetime.date | None = None) -> QuerySet[CaseOfConcern]:
    """Visible cases with this month's update flag and the latest update, oldest first.

    No join to group here: the list pages in the order of an index (see the model), so
    the database reads one page of cases and runs the two subqueries for its rows."""
    today = today or timezone.localdate()
    this_month = CaseUpdate.objects.filter(case=OuterRef("pk"), month=month_start(today))
    latest = CaseUpdate.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        cases_visible_to(user)
        .annotate(
            has_update_this_month=Exists(this_month),
            last_update_on=Subquery(latest.values("recorded_on")[:1]),
        )
        .order_by("opened_on", "pk")
    )


def case_for_page(user: User, pk: int) -> CaseOfConcern:
    return (
        cases_visible_to(user)
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=CaseUpdate.objects.select_related("created_by").order_by(
                    "-created_at", "-pk"
                ),
            ),
            Prefetch(
                "links",
                queryset=CaseAudit.objects.select_related("audit__auditor").order_by(
                    "linked_on", "pk"
                ),
            ),
        )
        .get(pk=pk)
    )


def case_actions(case: CaseOfConcern, today: datetime.date | None = None) -> QuerySet[Action]:
    """The actions raised by the audits of the case, with their status."""
    audit_ids = [link.audit_id for link in case.links.all()]
    return (
        with_today_status(Action.objects.filter(audit_id__in=audit_ids), today)
        .select_related("owner")
        .order_by("due_date", "pk")
    )


# Re-audits -------------------------------------------------------------------------


def proposals_visible_to(user: User) -> QuerySet[ReauditProposal]:
    proposals = ReauditProposal.objects.select_related(
        "child", "team__service_area", "audit", "reaudit__auditor", "decided_by"
    )
    if not _active(user):
        return proposals.none()
    if is_qa_lead(user):
        return proposals
    return proposals.filter(team__service_area__head_of_service=user)


def proposals_due(today: datetime.date | None = None) -> QuerySet[ReauditProposal]:
    """Proposals still to allocate whose month has come."""
    today = today or timezone.localdate()
    return ReauditProposal.objects.filter(
        status=ReauditStatus.PROPOSED, due_month__lte=month_start(today)
    )


def reaudit_comparison(proposal: ReauditProposal) -> dict | None:
    """The re-audit against the earlier audit, overall and domain by domain, once the
    re-audit has a final grade. Domain grades are those recorded on each audit."""
    if proposal.reaudit_id is None or not proposal.reaudit_grade:
        return None
    gradings = DomainGrading.objects.filter(
        audit_id__in=[proposal.audit_id, proposal.reaudit_id]
    ).select_related("domain")
    earlier: dict[int, DomainGrading] = {}
    later: dict[int, DomainGrading] = {}
    for grading in gradings:
        (earlier if grading.audit_id == proposal.audit_id else later)[grading.domain_id] = grading
    domains = []
    for domain_id in sorted(
        set(earlier) | set(later),
        key=lambda pk: (earlier.get(pk) or later.get(pk)).domain.name,
    ):
        before, after = earlier.get(domain_id), later.get(domain_id)
        domains.append(
            {
                "domain": (before or after).domain,
                "earlier": before.get_grade_display() if before and before.grade else "",
                "later": after.get_grade_display() if after and after.grade else "",
                "outcome": compare_grades(
                    before.grade if before else "", after.grade if after else ""
                ),
            }
        )
    return {
        "earlier": proposal.get_earlier_grade_display(),
        "later": proposal.get_reaudit_grade_display(),
        "outcome": proposal.outcome,
        "domains": domains,
    }
