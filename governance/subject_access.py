"""Everything held about one child, for a subject access request: a zip of JSON files
(one for each kind of record, the history of every change and the record of every view)
and a readable PDF of the same.

Which records are about a child is found from the models themselves: every model with a
foreign key to a child, or to a record that leads to a child, is included, by the
shortest such path (``child_paths``). A new model about children is in the export
without anyone remembering to add it. Secrets (a family link's verifier) are left out.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from dataclasses import dataclass

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from audits.models import AuditEvent, Child, ChildViewEvent

from .models import RecordSearch
from .selectors import CHILD_PATHS, HISTORY_ACTIONS, historical_of, readable, tracked_models

#: fields never exported: secrets that would open a family's link
SECRET_FIELDS = {"feedback.familylink": {"selector", "verifier_hash"}}
PDF_TYPE = "application/pdf"
ZIP_TYPE = "application/zip"


def _is_historical(model) -> bool:
    return model.__name__.startswith("Historical") and hasattr(model, "history_id")


def child_paths() -> dict[type[models.Model], str]:
    """Every model whose rows lead to a child, with the shortest path of foreign keys
    from the model to the child ("pk" for the child itself)."""
    paths: dict[type[models.Model], str] = {Child: "pk"}
    candidates = [m for m in apps.get_models() if not _is_historical(m) and m is not Child]
    changed = True
    while changed:
        changed = False
        for model in candidates:
            best = paths.get(model)
            for field in model._meta.get_fields():
                if not (field.many_to_one or field.one_to_one) or not field.concrete:
                    continue
                target = field.related_model
                if target not in paths or target is model:
                    continue
                route = field.name if target is Child else f"{field.name}__{paths[target]}"
                if best is None or route.count("__") < best.count("__"):
                    best = route
            if best is not None and paths.get(model) != best:
                paths[model] = best
                changed = True
    return paths


def _fields(model) -> list[models.Field]:
    secret = SECRET_FIELDS.get(model._meta.label_lower, set())
    return [f for f in model._meta.concrete_fields if f.name not in secret]


def _value(field: models.Field, obj, people: dict) -> object:
    value = getattr(obj, field.attname)
    if field.is_relation and field.related_model is User and value is not None:
        return people.get(value, f"person {value}")
    return value


def _shown(field: models.Field, obj, people: dict) -> str:
    return readable(field, _value(field, obj, people), empty="")


@dataclass
class Part:
    name: str  # the file's name without .json
    title: str
    fields: list[models.Field]
    rows: list


def _people(ids) -> dict[int, str]:
    return {
        user.pk: f"{user.get_full_name()} ({user.email})"
        for user in User.objects.filter(pk__in={i for i in ids if i})
    }


def _parts(child: Child) -> list[Part]:
    parts = []

    # The child first, then what is about them directly (audits, actions, cases), then
    # what is about those (gradings, answers, updates), each kind by name.
    def order(item):
        model, path = item
        depth = -1 if path == "pk" else path.count("__")
        return (depth, str(model._meta.verbose_name_plural))

    for model, path in sorted(child_paths().items(), key=order):
        rows = list(model._base_manager.filter(**{path: child.pk}).order_by("pk"))
        if not rows and model is not Child:
            continue
        parts.append(
            Part(
                name=model._meta.label_lower.replace(".", "_"),
                title=str(model._meta.verbose_name_plural).capitalize(),
                fields=_fields(model),
                rows=rows,
            )
        )
    return parts


@dataclass
class Change:
    at: datetime.datetime
    user_id: int | None
    action: str
    record: str
    row: dict


def _history(child: Child) -> list[Change]:
    changes = []
    for model in tracked_models():
        path = CHILD_PATHS[model._meta.label_lower]
        if path is None:
            continue
        historical = historical_of(model)
        lookup = "id" if path == "id" else f"{path}_id"
        secret = SECRET_FIELDS.get(model._meta.label_lower, set())
        names = [f.attname for f in historical.tracked_fields if f.name not in secret]
        label = str(model._meta.verbose_name).capitalize()
        for row in historical.objects.filter(**{lookup: child.pk}).order_by("history_id"):
            changes.append(
                Change(
                    at=row.history_date,
                    user_id=row.history_user_id,
                    action=HISTORY_ACTIONS.get(row.history_type, row.history_type),
                    record=f"{label} {row.id}",
                    row={name: getattr(row, name) for name in names},
                )
            )
    changes.sort(key=lambda change: change.at)
    return changes


def _views(child: Child) -> list[dict]:

    events = [
        {
            "at": e.at,
            "user_id": e.user_id,
            "what": f"Audit {e.audit_id}",
            "kind": e.kind,
            "note": e.note,
        }
        for e in AuditEvent.objects.filter(audit__child=child).order_by("at", "pk")
    ]
    events += [
        {"at": e.at, "user_id": e.user_id, "what": "Case record", "kind": "viewed", "note": e.note}
        for e in ChildViewEvent.objects.filter(child=child).order_by("at", "pk")
    ]
    events.sort(key=lambda event: event["at"])
    return events


@dataclass
class Export:
    child: Child
    made_by: User
    made_at: datetime.datetime
    parts: list[Part]
    history: list[Change]
    views: list[dict]
    people: dict[int, str]

    def part_json(self, part: Part) -> list[dict]:
        return [
            {field.name: _value(field, row, self.people) for field in part.fields}
            for row in part.rows
        ]


def collect(child: Child, user: User) -> Export:
    parts = _parts(child)
    history = _history(child)
    views = _views(child)
    ids = {change.user_id for change in history} | {view["user_id"] for view in views}
    for part in parts:
        user_fields = [f for f in part.fields if f.is_relation and f.related_model is User]
        ids |= {getattr(row, f.attname) for row in part.rows for f in user_fields}
    return Export(
        child=child,
        made_by=user,
        made_at=timezone.now(),
        parts=parts,
        history=history,
        views=views,
        people=_people(ids),
    )


def _dumps(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def pdf(export: Export) -> bytes:
    from weasyprint import HTML

    people = export.people
    sections = [
        {
            "title": part.title,
            "records": [
                [
                    (str(field.verbose_name).capitalize(), _shown(field, row, people))
                    for field in part.fields
                ]
                for row in part.rows
            ],
        }
        for part in export.parts
    ]
    html = render_to_string(
        "governance/subject_access_pdf.html",
        {
            "export": export,
            "sections": sections,
            "history": [
                {
                    "at": change.at,
                    "person": people.get(change.user_id, "The system"),
                    "action": change.action,
                    "record": change.record,
                }
                for change in export.history
            ],
            "views": [
                {**view, "person": people.get(view["user_id"], "The system")}
                for view in export.views
            ],
        },
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def subject_access_zip(*, child: Child, user: User) -> bytes:
    """The zip of everything held about ``child``; the export is recorded (a view of
    the child's record, and a download of the records)."""
    export = collect(child, user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in export.parts:
            archive.writestr(f"{part.name}.json", _dumps(export.part_json(part)))
        archive.writestr(
            "history.json",
            _dumps(
                [
                    {
                        "at": change.at,
                        "person": export.people.get(change.user_id, ""),
                        "action": change.action,
                        "record": change.record,
                        "row": change.row,
                    }
                    for change in export.history
                ]
            ),
        )
        archive.writestr(
            "views.json",
            _dumps(
                [
                    {
                        "at": view["at"],
                        "person": export.people.get(view["user_id"], ""),
                        "what": view["what"],
                        "kind": view["kind"],
                        "note": view["note"],
                    }
                    for view in export.views
                ]
            ),
        )
        archive.writestr("subject-access.pdf", pdf(export))
    ChildViewEvent.objects.create(child=child, user=user, note="Subject access export")
    RecordSearch.objects.create(
        user=user, criteria=f"subject access export: child {child.case_reference}", exported=True
    )
    return buffer.getvalue()
