"""Reads of service improvement actions: what each person may see, the list, a page,
the people who may lead one, and the actions a report shows for its period.

A service improvement action's status on a day ``as_of`` (defined here once, as a
database annotation, and in ``improvement_status`` for one action):

* **Done**: it was done on or before ``as_of``.
* **In progress**: not done by then, and a progress update was recorded on or before it.
* **Open**: neither.
* **Overdue** is a flag beside the status: not done by ``as_of`` and its timescale is
  before ``as_of`` (an action due today is not yet overdue).
"""

from __future__ import annotations

import datetime

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import JobTitle, Role, ServiceArea, User
from accounts.permissions import sees_whole_organisation

from ..models import ImprovementStatus, ServiceImprovementAction, ServiceImprovementUpdate

#: the list's filters
SHOW_CHOICES = {"open": "Open", "overdue": "Overdue", "done": "Done", "all": "All"}

#: job titles of the people who may lead a service improvement action, besides anyone
#: with a management role
LEAD_JOB_TITLES = (
    JobTitle.DIRECTOR,
    JobTitle.ASSISTANT_DIRECTOR,
    JobTitle.HEAD_OF_SERVICE,
    JobTitle.SERVICE_MANAGER,
    JobTitle.TEAM_MANAGER,
    JobTitle.ADVANCED_PRACTITIONER,
    JobTitle.QA_LEAD,
    JobTitle.PRINCIPAL_SOCIAL_WORKER,
    JobTitle.IRO,
    JobTitle.CP_CHAIR,
)
LEAD_ROLES = (Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.QA_LEAD, Role.LEADER)


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day`` (local time): updates before it count that day."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight)


def with_improvement_status(qs: QuerySet, as_of: datetime.date) -> QuerySet:
    """Annotate ``status``, ``overdue``, ``latest_progress`` and ``latest_progress_at``
    as they were at the end of ``as_of``."""
    progress = ServiceImprovementUpdate.objects.filter(
        action=OuterRef("pk"), created_at__lt=_end_of(as_of)
    ).order_by("-created_at", "-pk")
    done = Q(completed_on__isnull=False, completed_on__lte=as_of)
    return qs.annotate(
        latest_progress=Subquery(progress.values("note")[:1]),
        latest_progress_at=Subquery(progress.values("created_at")[:1]),
        status=Case(
            When(done, then=Value(ImprovementStatus.DONE.value)),
            When(Exists(progress), then=Value(ImprovementStatus.IN_PROGRESS.value)),
            default=Value(ImprovementStatus.OPEN.value),
            output_field=CharField(),
        ),
        overdue=Case(
            When(~done & Q(timescale__lt=as_of), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def improvement_status(
    improvement: ServiceImprovementAction, as_of: datetime.date
) -> ImprovementStatus:
    """The status of one action on ``as_of``, by the rule above."""
    if improvement.completed_on is not None and improvement.completed_on <= as_of:
        return ImprovementStatus.DONE
    if improvement.updates.filter(created_at__lt=_end_of(as_of)).exists():
        return ImprovementStatus.IN_PROGRESS
    return ImprovementStatus.OPEN


def improvements_visible_to(user: User) -> QuerySet[ServiceImprovementAction]:
    """Mirrors actions.view_improvement: leaders, the QA Lead and the Administrator see
    every one; a Head of Service those of their service areas and the whole
    organisation's; a lead those they lead."""
    qs = ServiceImprovementAction.objects.select_related("service_area")
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if sees_whole_organisation(user):
        return qs
    mine = Q(
        pk__in=ServiceImprovementAction.leads.through.objects.filter(user=user).values(
            "serviceimprovementaction_id"
        )
    )
    mine |= Q(service_area__head_of_service=user)
    if user.has_role(Role.HEAD_OF_SERVICE):
        mine |= Q(service_area__isnull=True)
    return qs.filter(mine)


def improvement_list(
    user: User, show: str = "open", today: datetime.date | None = None
) -> QuerySet[ServiceImprovementAction]:
    """The list page's rows for ``show`` (a key of SHOW_CHOICES), with today's status and
    their leads, in three queries: open ones by timescale, done ones newest first."""
    today = today or timezone.localdate()
    qs = with_improvement_status(improvements_visible_to(user), today).prefetch_related(
        Prefetch("leads", queryset=User.objects.order_by("last_name", "first_name", "pk"))
    )
    if show == "open":
        return qs.filter(completed_on__isnull=True).order_by("timescale", "pk")
    if show == "overdue":
        return qs.filter(completed_on__isnull=True, timescale__lt=today).order_by("timescale", "pk")
    if show == "done":
        return qs.filter(completed_on__isnull=False).order_by("-completed_on", "-pk")
    return qs.order_by(
        Case(When(completed_on__isnull=True, then=Value(0)), default=Value(1)),
        "timescale",
        "pk",
    )


def improvement_for_page(user: User, pk: int) -> ServiceImprovementAction:
    """One action this user may see, with its leads and progress; DoesNotExist if not."""
    return (
        improvements_visible_to(user)
        .select_related("created_by", "completed_by")
        .prefetch_related(
            Prefetch("leads", queryset=User.objects.order_by("last_name", "first_name", "pk")),
            Prefetch(
                "updates",
                queryset=ServiceImprovementUpdate.objects.select_related("created_by").order_by(
                    "-created_at", "-pk"
                ),
            ),
        )
        .get(pk=pk)
    )


def lead_choices(current: list[User] | tuple = ()) -> QuerySet[User]:
    """People who may lead an action: active managers and practice leaders, and anyone
    already leading the action being changed."""
    return (
        User.objects.filter(
            Q(is_active=True)
            & (Q(job_title__in=LEAD_JOB_TITLES) | Q(role_assignments__role__in=LEAD_ROLES))
            | Q(pk__in=[person.pk for person in current])
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def overdue_led_by(
    user: User, today: datetime.date | None = None
) -> QuerySet[ServiceImprovementAction]:
    """The actions this person leads that are not done and past their timescale."""
    today = today or timezone.localdate()
    return ServiceImprovementAction.objects.filter(
        leads=user, completed_on__isnull=True, timescale__lt=today
    ).order_by("timescale", "pk")


def leads_text(improvement: ServiceImprovementAction) -> str:
    """The lead as a report names it: "Service Managers (Sam Shaw, Kim Lee)"."""
    names = ", ".join(str(person) for person in improvement.leads.all())
    if improvement.lead_description and names:
        return f"{improvement.lead_description} ({names})"
    return improvement.lead_description or names


def _service_area_id(service_area) -> int | None:
    if service_area is None or isinstance(service_area, int):
        return service_area
    if isinstance(service_area, ServiceArea):
        return service_area.pk
    raise TypeError("A service area is a ServiceArea, its id, or None.")


def service_improvement_for_report(
    start: datetime.date,
    end: datetime.date,
    service_area: ServiceArea | int | None = None,
    today: datetime.date | None = None,
) -> list[dict]:
    """The service improvement actions a report for ``start`` to ``end`` shows: those
    raised on or before the end and still not done at its end, and those done within the
    period (an action done the day after the end is still open at the end; one raised
    after the end is not shown). For a service area: its own and the whole
    organisation's; without one, every action.

    Each is shown as it was at the end of the period (or today, while the period runs):
    its status, whether it was overdue, its latest progress recorded by then, and the day
    it was done if that was within the period. Two queries, however
    many actions there are. Dates are ``datetime.date``; ids and text are plain values.
    """
    today = today or timezone.localdate()
    as_of = min(end, today)
    qs = ServiceImprovementAction.objects.filter(raised_on__lte=end).filter(
        Q(completed_on__isnull=True) | Q(completed_on__gte=start)
    )
    area_id = _service_area_id(service_area)
    if area_id is not None:
        qs = qs.filter(Q(service_area_id=area_id) | Q(service_area__isnull=True))
    qs = (
        with_improvement_status(qs, as_of)
        .select_related("service_area")
        .prefetch_related(
            Prefetch("leads", queryset=User.objects.order_by("last_name", "first_name", "pk"))
        )
    )
    rows = []
    for improvement in qs:
        done_on = (
            improvement.completed_on
            if improvement.completed_on is not None and improvement.completed_on <= end
            else None
        )
        progress_at = improvement.latest_progress_at
        rows.append(
            {
                "id": improvement.pk,
                "reference": improvement.display_reference,
                "what": improvement.title,
                "finding": improvement.finding,
                "leads": [str(person) for person in improvement.leads.all()],
                "lead_description": improvement.lead_description,
                "lead": leads_text(improvement),
                "service_area": improvement.service_area.name if improvement.service_area else None,
                "raised_in": improvement.raised_in,
                "raised_on": improvement.raised_on,
                "timescale": improvement.timescale,
                "status": improvement.status,
                "status_label": ImprovementStatus(improvement.status).label,
                "overdue": improvement.overdue,
                "latest_progress": improvement.latest_progress or "",
                "latest_progress_on": timezone.localdate(progress_at) if progress_at else None,
                "done_on": done_on,
            }
        )
    # Still open first, by timescale; then those done in the period, by the day done.
    rows.sort(
        key=lambda row: (row["done_on"] is not None, row["done_on"] or row["timescale"], row["id"])
    )
    return rows
