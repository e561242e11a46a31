"""The records of who viewed and who changed what, searched as one list.

Every source keeps its own rows: each audit's events (views and changes), each child's
record views, every change to people's access, the searches of these records, and the
history of every model kept by django-simple-history. ``record_entries`` reads them
all as one ``UNION ALL`` with the same columns, filtered in each part and ordered and
paged by the database, so a page is a constant number of queries whatever the size of
the records. ``CHILD_PATHS`` says, for each model with a history, how its rows lead to
a child (None for records about no child, such as templates and settings).
"""

import datetime
import json
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Case, CharField, F, IntegerField, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.models import AccessChange, User
from audits.models import AuditEvent, AuditEventKind, Child, ChildViewEvent

from .models import RecordSearch, RetentionRun

VIEWS = "views"
CHANGES = "changes"

#: for each model with a history, the path from its rows to the child they are about
CHILD_PATHS = {
    "accounts.userrole": None,
    "actions.action": "child",
    "actions.actionsettings": None,
    "actions.actionupdate": "action__child",
    "actions.caseaudit": "case__child",
    "actions.caseofconcern": "child",
    "actions.caseupdate": "case__child",
    "actions.serviceimprovementaction": None,
    "audits.answer": "audit__child",
    "audits.audit": "child",
    "audits.audittemplate": None,
    "audits.child": "id",
    "audits.domain": None,
    "audits.domaingrading": "audit__child",
    "audits.gradedescriptor": None,
    "audits.programmesettings": None,
    "audits.question": None,
    "audits.templatesection": None,
    "feedback.familylink": "audit__child",
    "governance.retentionsettings": None,
    "feedback.feedback": "audit__child",
    "feedback.quote": "feedback__audit__child",
    "moderation.endorsementoverride": None,
    "moderation.moderationreview": "audit__child",
    "moderation.moderationsettings": None,
    "moderation.reviewdomaingrade": "review__audit__child",
    "reporting.report": None,
    "reporting.reportversion": None,
    "reporting.targets": None,
}

#: an audit's events that are views: opening it, and the reason given to open it
VIEW_KINDS = (AuditEventKind.VIEWED, AuditEventKind.REASON_GIVEN)

HISTORY_ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def tracked_models() -> list[type[models.Model]]:
    """Every model whose changes django-simple-history records."""
    return [
        model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
        and not model.__name__.startswith("Historical")
    ]


def historical_of(model):
    return getattr(model, model._meta.simple_history_manager_attribute).model


@dataclass(frozen=True)
class Criteria:
    person: User | None = None
    child: Child | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    show: str = ""  # VIEWS, CHANGES or "" for both

    def describe(self) -> str:
        parts = []
        if self.person is not None:
            parts.append(f"person: {self.person.email}")
        if self.child is not None:
            parts.append(f"child: {self.child.case_reference}")
        if self.since:
            parts.append(f"from {self.since:%Y-%m-%d}")
        if self.until:
            parts.append(f"to {self.until:%Y-%m-%d}")
        parts.append(
            {VIEWS: "views only", CHANGES: "changes only"}.get(self.show, "views and changes")
        )
        return "; ".join(parts)[:300]


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _columns(*, source: str, at: str, user, action, record, child, note) -> dict:
    """The same eight columns, in the same order, for every part of the union."""
    return {
        "e_source": Value(source, output_field=CharField()),
        "e_id": Cast(F("pk"), IntegerField()),
        "e_at": F(at),
        "e_user": F(user) if isinstance(user, str) else user,
        "e_action": action,
        "e_record": record,
        "e_child": child,
        "e_note": note,
    }


def _text(value: str):
    return Value(value, output_field=CharField())


def _none():
    return Value(None, output_field=IntegerField())


def _filtered(queryset, criteria: Criteria, *, at: str, user: str | None, child: str | None):
    """The part's rows matching ``criteria``; None when the part cannot match (it has no
    person, or no child, to filter by)."""
    if criteria.person is not None:
        if user is None:
            return None
        queryset = queryset.filter(**{user: criteria.person.pk})
    if criteria.child is not None:
        if child is None:
            return None
        queryset = queryset.filter(**{child: criteria.child.pk})
    if criteria.since:
        queryset = queryset.filter(**{f"{at}__gte": _day_start(criteria.since)})
    if criteria.until:
        next_day = criteria.until + datetime.timedelta(days=1)
        queryset = queryset.filter(**{f"{at}__lt": _day_start(next_day)})
    return queryset


def _audit_events(criteria: Criteria):
    events = AuditEvent.objects.all()
    if criteria.show == VIEWS:
        events = events.filter(kind__in=VIEW_KINDS)
    elif criteria.show == CHANGES:
        events = events.exclude(kind__in=VIEW_KINDS)
    events = _filtered(events, criteria, at="at", user="user_id", child="audit__child_id")
    whens = [When(kind=kind, then=_text(label)) for kind, label in AuditEventKind.choices]
    return events.values(
        **_columns(
            source="audits.auditevent",
            at="at",
            user="user_id",
            action=Case(*whens, default=F("kind"), output_field=CharField()),
            record=Cast(F("audit_id"), IntegerField()),
            child=Cast(F("audit__child_id"), IntegerField()),
            note=F("note"),
        )
    )


def _child_views(criteria: Criteria):
    views = _filtered(
        ChildViewEvent.objects.all(), criteria, at="at", user="user_id", child="child_id"
    )
    return views.values(
        **_columns(
            source="audits.childviewevent",
            at="at",
            user="user_id",
            action=_text("Viewed"),
            record=Cast(F("child_id"), IntegerField()),
            child=Cast(F("child_id"), IntegerField()),
            note=F("note"),
        )
    )


def _access_changes(criteria: Criteria):
    changes = _filtered(
        AccessChange.objects.all(), criteria, at="changed_at", user="changed_by_id", child=None
    )
    if changes is None:
        return None
    return changes.values(
        **_columns(
            source="accounts.accesschange",
            at="changed_at",
            user="changed_by_id",
            action=_text("Changed access"),
            record=Cast(F("person_id"), IntegerField()),
            child=_none(),
            note=Concat(
                F("person_name"),
                _text(": "),
                F("kind"),
                _text(" "),
                F("before"),
                _text(" → "),
                F("after"),
                output_field=CharField(),
            ),
        )
    )


def _searches(criteria: Criteria):
    searches = _filtered(RecordSearch.objects.all(), criteria, at="at", user="user_id", child=None)
    if searches is None:
        return None
    return searches.values(
        **_columns(
            source="governance.recordsearch",
            at="at",
            user="user_id",
            action=Case(
                When(exported=True, then=_text("Downloaded records")),
                default=_text("Searched records"),
                output_field=CharField(),
            ),
            record=_none(),
            child=_none(),
            note=F("criteria"),
        )
    )


def _retention_runs(criteria: Criteria):
    runs = _filtered(RetentionRun.objects.all(), criteria, at="at", user=None, child=None)
    if runs is None:
        return None
    return runs.values(
        **_columns(
            source="governance.retentionrun",
            at="at",
            user=_none(),
            action=_text("Anonymised records past their retention period"),
            record=_none(),
            child=_none(),
            note=Cast(F("counts"), CharField()),
        )
    )


def _history(model, criteria: Criteria):
    label = model._meta.label_lower
    path = CHILD_PATHS[label]
    child = None if path is None else ("id" if path == "id" else f"{path}_id")
    historical = historical_of(model)
    rows = _filtered(
        historical.objects.all(),
        criteria,
        at="history_date",
        user="history_user_id",
        child=child,
    )
    if rows is None:
        return None
    whens = [When(history_type=k, then=_text(v)) for k, v in HISTORY_ACTIONS.items()]
    return rows.values(
        **_columns(
            source=label,
            at="history_date",
            user="history_user_id",
            action=Case(*whens, default=F("history_type"), output_field=CharField()),
            record=Cast(F("id"), IntegerField()),
            child=_none() if child is None else Cast(F(child), IntegerField()),
            note=_text(""),
        )
    )


def record_entries(criteria: Criteria):
    """Every view and change matching ``criteria``, newest first, as dicts of the
    ``e_`` columns (``e_id`` is the history row's id for a model's history)."""
    parts = []
    if criteria.show != CHANGES:
        parts.append(_child_views(criteria))
    parts.append(_audit_events(criteria))
    if criteria.show != VIEWS:
        parts.extend(_history(model, criteria) for model in tracked_models())
        parts.append(_access_changes(criteria))
        parts.append(_retention_runs(criteria))
    if criteria.show != CHANGES:
        parts.append(_searches(criteria))
    parts = [part.order_by() for part in parts if part is not None]
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-e_at", "-e_source", "-e_id")


# Presenting a page -------------------------------------------------------------------


@dataclass
class Entry:
    at: datetime.datetime
    person: str
    action: str
    record: str
    child: str
    details: str
    changes: dict = field(default_factory=dict)


def _record_label(source: str, record_id) -> str:
    if source == "audits.auditevent":
        return f"Audit {record_id}"
    if source == "audits.childviewevent":
        return f"Child's record {record_id}"
    if source == "accounts.accesschange":
        return "A person's access"
    if source == "governance.recordsearch":
        return "Records of views and changes"
    if source == "governance.retentionrun":
        return "Retention"
    model = apps.get_model(source)
    return f"{model._meta.verbose_name.capitalize()} {record_id}"


#: bookkeeping fields a change never shows
UNSHOWN = {"lock_version", "updated_at"}


def readable(model_field, value, *, empty: str = "(empty)") -> str:
    """A stored value as a person reads it: a choice by its label, a time in local time,
    a yes or no, a list or mapping as JSON, a link to another record by what it is and
    its id. The records page and a subject access request's PDF both show values so."""
    if value is None or value == "":
        return empty
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d %b %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d %b %Y")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if model_field.is_relation and isinstance(value, int):
        return f"{model_field.related_model._meta.verbose_name} {value}"
    return str(value)


def _changes(rows: list[dict]) -> dict[tuple[str, int], dict]:
    """For each history row on the page, the fields that changed from the row before
    it: {field label: (before, after)}, with free text given as "(text changed)" so
    that the records show what changed without showing a child's case content. One
    query for each model on the page."""
    wanted: dict[str, list[dict]] = {}
    for row in rows:
        if row["e_source"] in CHILD_PATHS and row["e_action"] == "Changed":
            wanted.setdefault(row["e_source"], []).append(row)
    changes = {}
    for source, entries in wanted.items():
        model = apps.get_model(source)
        historical = historical_of(model)
        newest = max(entry["e_id"] for entry in entries)
        by_object: dict[int, list] = {}
        for history in historical.objects.filter(
            id__in={entry["e_record"] for entry in entries}, history_id__lte=newest
        ).order_by("history_id"):
            by_object.setdefault(history.id, []).append(history)
        fields = [f for f in historical.tracked_fields if f.name not in UNSHOWN | {"id"}]
        for entry in entries:
            versions = by_object.get(entry["e_record"], [])
            ids = [version.history_id for version in versions]
            if entry["e_id"] not in ids:
                continue
            position = ids.index(entry["e_id"])
            if position == 0:
                continue
            before, after = versions[position - 1], versions[position]
            changed = {}
            for model_field in fields:
                old = getattr(before, model_field.attname)
                new = getattr(after, model_field.attname)
                if old == new:
                    continue
                label = str(model_field.verbose_name).capitalize()
                if isinstance(model_field, models.TextField | models.JSONField) or (
                    isinstance(model_field, models.CharField)
                    and not model_field.choices
                    and model_field.max_length > 40
                ):
                    changed[label] = ("(text changed)", "")
                else:
                    changed[label] = (readable(model_field, old), readable(model_field, new))
            changes[(source, entry["e_id"])] = changed
    return changes


def present(rows: list[dict]) -> list[Entry]:
    """The page's rows as the records page shows them: people's names and children's
    case references in one query each, and each change's fields."""
    people = User.objects.in_bulk({row["e_user"] for row in rows if row["e_user"]})
    children = dict(
        Child.objects.filter(pk__in={row["e_child"] for row in rows if row["e_child"]}).values_list(
            "pk", "case_reference"
        )
    )
    changes = _changes(rows)
    entries = []
    for row in rows:
        person = people.get(row["e_user"])
        changed = changes.get((row["e_source"], row["e_id"]), {})
        details = row["e_note"] or "; ".join(
            f"{name}: {before}" if not after else f"{name}: {before} → {after}"
            for name, (before, after) in changed.items()
        )
        entries.append(
            Entry(
                at=row["e_at"],
                person=f"{person.get_full_name()} ({person.email})" if person else "The system",
                action=row["e_action"],
                record=_record_label(row["e_source"], row["e_record"]),
                child=children.get(row["e_child"], ""),
                details=details,
                changes=changed,
            )
        )
    return entries


def child_with_reference(reference: str) -> Child | None:
    return Child.objects.filter(case_reference__iexact=reference.strip()).first()


def people_in_records():
    """Everyone who could appear in the records: every person, active or not."""
    return User.objects.order_by("last_name", "first_name", "email")
