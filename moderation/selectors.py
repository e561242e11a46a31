"""Scoped reads for the moderation pages and API.

Each ``*_visible_to`` mirrors a rule in moderation/rules.py: what is outside it is a 404,
and the rule then decides between read-only, editable and 403.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet

from accounts.models import Role, ServiceArea, Team, User
from accounts.permissions import is_head_of_service, is_leader, is_qa_lead
from audits.models import (
    Answer,
    Audit,
    AuditStatus,
    DomainGrading,
    Grade,
    SocialWorkerReply,
)
from audits.selectors import template_structure
from common.dates import add_months

from .models import (
    EndorsementOverride,
    LoopedAudit,
    ModerationReview,
    ModerationSettings,
    ModeratorCapacity,
    Outcome,
    Pairing,
    Panel,
    ReviewStatus,
)
from .services import endorsed_auditor_ids, last_outcomes

# Panels ----------------------------------------------------------------------------------


def panels_visible_to(user: User) -> QuerySet[Panel]:
    """The QA Lead sees every panel; others the panels they chair, sit on or observe."""
    panels = Panel.objects.select_related("chair")
    if not user.is_authenticated or not user.is_active:
        return panels.none()
    if is_qa_lead(user):
        return panels
    mine = Panel.objects.filter(Q(chair=user) | Q(moderators=user) | Q(observers=user)).values("pk")
    return panels.filter(pk__in=mine)


def panel_list(user: User) -> QuerySet[Panel]:
    """Panels with their review counts, newest month first, in one query."""
    return panels_visible_to(user).annotate(
        review_count=Count("reviews", distinct=True),
        final_count=Count("reviews", filter=Q(reviews__status=ReviewStatus.FINAL), distinct=True),
    )


def capacities(moderators) -> dict[int, int]:
    default = ModerationSettings.load().default_capacity
    custom = dict(
        ModeratorCapacity.objects.filter(moderator__in=moderators).values_list(
            "moderator_id", "monthly_capacity"
        )
    )
    return {m.pk: custom.get(m.pk, default) for m in moderators}


def panel_reviews(panel: Panel) -> list[ModerationReview]:
    return list(
        panel.reviews.select_related(
            "audit__child", "audit__team", "audit__auditor", "moderator"
        ).order_by("audit__child__case_reference", "pk")
    )


def panel_moderators(panel: Panel, reviews: list[ModerationReview]) -> list[dict]:
    """Each moderator on the panel with their load against capacity."""
    moderators = list(panel.moderators.order_by("last_name", "first_name", "pk"))
    capacity = capacities(moderators)
    load = Counter(r.moderator_id for r in reviews)
    final = Counter(r.moderator_id for r in reviews if r.is_final)
    return [
        {
            "user": m,
            "load": load[m.pk],
            "final": final[m.pk],
            "capacity": capacity[m.pk],
            "over": load[m.pk] > capacity[m.pk],
        }
        for m in moderators
    ]


def reviews_by_moderator(reviews: list[ModerationReview], moderators: list[dict]) -> list[dict]:
    """The panel's reviews grouped by moderator, in the order of the moderator list;
    reviews by someone no longer on the panel, and unassigned ones, come last."""
    groups: dict[int | None, list] = defaultdict(list)
    for review in reviews:
        groups[review.moderator_id].append(review)
    ordered = [
        {"moderator": m["user"], "reviews": groups.pop(m["user"].pk, [])} for m in moderators
    ]
    others = {r.moderator_id: r.moderator for r in reviews if r.moderator_id in groups}
    for moderator_id, group in sorted(
        groups.items(), key=lambda item: (item[0] is None, str(others.get(item[0]) or ""))
    ):
        ordered.append({"moderator": others.get(moderator_id), "reviews": group})
    return ordered


def _gradings_prefetch(prefix: str) -> Prefetch:
    return Prefetch(
        f"{prefix}__gradings",
        queryset=DomainGrading.objects.select_related("domain").order_by("domain__name"),
    )


def looped_audits_with_grades() -> QuerySet[LoopedAudit]:
    return LoopedAudit.objects.select_related(
        "first__child",
        "first__auditor",
        "first__template",
        "second__auditor",
        "panel",
        "outcome_by",
    ).prefetch_related(_gradings_prefetch("first"), _gradings_prefetch("second"))


def loop_rows(loop: LoopedAudit) -> list[dict]:
    """The two audits' grades side by side from prefetched gradings (the same rows as
    services.loop_differences, without a query per loop)."""
    first = {g.domain_id: g for g in loop.first.gradings.all()}
    second = {g.domain_id: g for g in loop.second.gradings.all()}
    rows = [
        {
            "what": "Overall",
            "first": loop.first.overall_grade,
            "second": loop.second.overall_grade,
            "differs": loop.first.overall_grade != loop.second.overall_grade,
        }
    ]
    domain_ids = sorted(
        set(first) | set(second), key=lambda d: (first.get(d) or second.get(d)).domain.name
    )
    for domain_id in domain_ids:
        a, b = first.get(domain_id), second.get(domain_id)
        grade_a, grade_b = (a.grade if a else ""), (b.grade if b else "")
        rows.append(
            {
                "what": (a or b).domain.name,
                "first": grade_a,
                "second": grade_b,
                "differs": grade_a != grade_b,
            }
        )
    return rows


def panel_discussions(panel: Panel) -> list[LoopedAudit]:
    loops = list(looped_audits_with_grades().filter(panel=panel).order_by("created_at", "pk"))
    for loop in loops:
        loop.rows = loop_rows(loop)
    return loops


CANDIDATES_PAGE_SIZE = 50


def panel_candidates(panel: Panel) -> QuerySet[Audit]:
    """Accepted audits of the panel's month without a review, endorsed auditors' too,
    for the QA Lead to add by hand."""
    return (
        Audit.objects.filter(
            month=panel.month, status=AuditStatus.ACCEPTED, moderation_review__isnull=True
        )
        .select_related("child", "team", "auditor")
        .order_by("child__case_reference", "pk")
    )


def _with_endorsement(audits: list[Audit]) -> list[dict]:
    endorsed = endorsed_auditor_ids({a.auditor_id for a in audits if a.auditor_id})
    return [{"audit": a, "endorsed": a.auditor_id in endorsed} for a in audits]


def panel_add_candidates(panel: Panel, page_number=None, *, also=None) -> Page:
    """One page of the panel's candidates, each marked if its auditor is endorsed;
    ``also`` (an audit id, as posted) adds that audit to the page's rows if it is a
    candidate, so the form accepts an audit chosen from any page."""
    page = Paginator(panel_candidates(panel), CANDIDATES_PAGE_SIZE).get_page(page_number)
    audits = list(page.object_list)
    if also is not None and str(also).isdigit() and int(also) not in {a.pk for a in audits}:
        audits += list(panel_candidates(panel).filter(pk=int(also)))
    page.object_list = _with_endorsement(audits)
    return page


# Reviews ---------------------------------------------------------------------------------


def reviews_visible_to(user: User) -> QuerySet[ModerationReview]:
    """The QA Lead sees every review; a moderator the reviews assigned to them; an
    auditor the final reviews of their own audits."""
    reviews = ModerationReview.objects.select_related(
        "audit__child",
        "audit__team__service_area",
        "audit__auditor",
        "audit__template",
        "moderator",
        "panel",
        "finalised_by",
    )
    if not user.is_authenticated or not user.is_active:
        return reviews.none()
    if is_qa_lead(user):
        return reviews
    return reviews.filter(Q(moderator=user) | Q(audit__auditor=user, status=ReviewStatus.FINAL))


def answer_text(question, answer) -> str:
    """An answer as the auditor chose it, in words."""
    if answer is None or answer.value in (None, "", []):
        return ""
    options = dict(question.options)
    value = answer.value
    if isinstance(value, list):
        return ", ".join(options.get(v, str(v)) for v in value)
    if isinstance(value, str):
        return options.get(value, value)
    return str(value)


def review_screen(review: ModerationReview) -> dict:
    """Everything the review screen shows, in a fixed number of queries: the template's
    structure with descriptors, the answers, the domain gradings and the review's rows."""
    audit = review.audit
    template = template_structure(audit.template)
    answers = {a.question_id: a for a in Answer.objects.filter(audit=audit)}
    gradings = {g.domain_id: g for g in DomainGrading.objects.filter(audit=audit)}
    rows = {r.domain_id: r for r in review.domain_grades.select_related("domain")}
    reasons = list(review.reasons.values_list("reason", flat=True))
    replies = list(SocialWorkerReply.objects.filter(audit=audit).select_related("author"))
    sections, domains = [], []
    for section in template.sections.all():
        questions = [
            {
                "question": q,
                "answer": answers.get(q.pk),
                "text": answer_text(q, answers.get(q.pk)),
            }
            for q in section.questions.all()
        ]
        entry = {"section": section, "questions": questions, "domain": None}
        if section.domain_id and section.domain_id in rows:
            descriptors = {d.grade: d.text for d in section.domain.descriptors.all()}
            domain = {
                "domain": section.domain,
                "row": rows[section.domain_id],
                "grading": gradings.get(section.domain_id),
                "descriptors": [
                    {"grade": g, "label": g.label, "text": descriptors.get(g, "")}
                    for g in (
                        Grade.OUTSTANDING,
                        Grade.GOOD,
                        Grade.REQUIRES_IMPROVEMENT,
                        Grade.INADEQUATE,
                    )
                ],
            }
            entry["domain"] = domain
            domains.append(domain)
        sections.append(entry)
    # Domains graded in the audit but no longer in its template version still count.
    shown = {d["domain"].pk for d in domains}
    for domain_id, row in sorted(rows.items(), key=lambda item: item[1].domain.name):
        if domain_id not in shown:
            domains.append(
                {
                    "domain": row.domain,
                    "row": row,
                    "grading": gradings.get(domain_id),
                    "descriptors": [],
                }
            )
    return {
        "sections": sections,
        "domains": domains,
        "reasons": reasons,
        "replies": replies,
    }


def my_feedback(user: User) -> QuerySet[ModerationReview]:
    """The auditor's final reviews, newest first."""
    return (
        ModerationReview.objects.filter(audit__auditor=user, status=ReviewStatus.FINAL)
        .select_related("audit__child", "audit__team", "panel", "moderator")
        .order_by(F("finalised_at").desc(nulls_last=True), "-pk")
    )


# Looped audits ---------------------------------------------------------------------------


def loops_visible_to(user: User) -> QuerySet[LoopedAudit]:
    loops = looped_audits_with_grades()
    if not user.is_authenticated or not user.is_active:
        return loops.none()
    if is_qa_lead(user):
        return loops
    return loops.filter(Q(first__auditor=user) | Q(second__auditor=user))


# Pairings --------------------------------------------------------------------------------


def pairing_periods(today: datetime.date) -> list[dict]:
    """The pairing period containing today and the next one if generated, each row
    marked when it repeats a pairing from the two periods before it."""
    months = ModerationSettings.load().pairing_months
    starts = list(
        Pairing.objects.filter(ends_on__gte=today)
        .values_list("starts_on", flat=True)
        .distinct()
        .order_by("starts_on")
    )
    current = [s for s in starts if s <= today][-1:]
    upcoming = [s for s in starts if s > today][:1]
    wanted = current + upcoming
    if not wanted:
        return []
    earliest = add_months(wanted[0], -2 * months)
    pairings = list(
        Pairing.objects.filter(starts_on__gte=earliest, starts_on__lte=wanted[-1])
        .select_related("auditor__team", "moderator__team")
        .order_by("starts_on", "auditor__last_name", "auditor__first_name", "pk")
    )
    periods = []
    for start in wanted:
        recent_start = add_months(start, -2 * months)
        recent = {
            (p.auditor_id, p.moderator_id) for p in pairings if recent_start <= p.starts_on < start
        }
        rows = [
            {"pairing": p, "repeats": (p.auditor_id, p.moderator_id) in recent}
            for p in pairings
            if p.starts_on == start
        ]
        periods.append(
            {
                "starts_on": start,
                "ends_on": rows[0]["pairing"].ends_on if rows else None,
                "is_current": start <= today,
                "rows": rows,
                "repeats": sum(1 for r in rows if r["repeats"]),
            }
        )
    return periods


# Endorsement -----------------------------------------------------------------------------


def active_auditors() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR)
        .distinct()
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )


def active_with_role(*roles: str) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=roles)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def endorsement_rows(auditor_ids=None) -> list[dict]:
    """Endorsed auditors, and those the QA Lead has said are not endorsed, with their
    last outcomes and whether it is by their run of agreed reviews or by override."""
    endorsed = endorsed_auditor_ids(auditor_ids)
    overrides = {
        o.auditor_id: o
        for o in EndorsementOverride.objects.select_related("set_by").filter(
            **({"auditor__in": auditor_ids} if auditor_ids is not None else {})
        )
    }
    ids = endorsed | set(overrides)
    people = {u.pk: u for u in User.objects.filter(pk__in=ids).select_related("team")}
    outcomes = last_outcomes(ids)
    rows = []
    for auditor_id in ids:
        override = overrides.get(auditor_id)
        rows.append(
            {
                "auditor": people[auditor_id],
                "endorsed": auditor_id in endorsed,
                "override": override,
                "by": "override" if override else "run",
                "outcomes": [Outcome(o).label for o in outcomes.get(auditor_id, [])],
            }
        )
    rows.sort(key=lambda r: (not r["endorsed"], r["auditor"].last_name, r["auditor"].pk))
    return rows


# Statistics scope ------------------------------------------------------------------------


def sees_all_statistics(user: User) -> bool:
    return is_qa_lead(user) or is_leader(user)


def statistics_service_areas(user: User) -> QuerySet[ServiceArea]:
    """Service areas whose figures the user may see: all for the QA Lead and leaders, a
    Head of Service's own areas otherwise."""
    areas = ServiceArea.objects.order_by("name")
    if sees_all_statistics(user):
        return areas
    if is_head_of_service(user):
        return areas.filter(head_of_service=user)
    return areas.none()


def statistics_teams(user: User) -> QuerySet[Team]:
    teams = Team.objects.select_related("service_area").order_by("service_area__name", "name")
    if sees_all_statistics(user):
        return teams
    return teams.filter(service_area__in=statistics_service_areas(user))


def statistics_auditors(user: User) -> QuerySet[User]:
    auditors = active_with_role(Role.AUDITOR)
    if sees_all_statistics(user):
        return auditors
    return auditors.filter(
        pk__in=Audit.objects.filter(team__service_area__in=statistics_service_areas(user)).values(
            "auditor"
        )
    )


def statistics_moderators(user: User) -> QuerySet[User]:
    moderators = active_with_role(Role.MODERATOR, Role.QA_LEAD)
    if sees_all_statistics(user):
        return moderators
    return moderators.filter(
        pk__in=ModerationReview.objects.filter(
            audit__team__service_area__in=statistics_service_areas(user)
        ).values("moderator")
    )


# My work ---------------------------------------------------------------------------------


def reviews_to_do(user: User) -> QuerySet[ModerationReview]:
    return (
        ModerationReview.objects.filter(moderator=user)
        .exclude(status=ReviewStatus.FINAL)
        .select_related("audit__child", "audit__team", "panel")
        .order_by(F("panel__date").asc(nulls_last=True), "audit__child__case_reference", "pk")
    )
