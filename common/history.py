"""The record of every change to a model: who, when, and the row before and after.

``ChangeHistory`` is django-simple-history's ``HistoricalRecords`` writing a historical
row only when a tracked field really changed: saving a draft every few seconds with the
same answers leaves one row, not hundreds. Fields in ``unrecorded`` (a lock version, an
``auto_now`` time) are kept in the row but never count as a change on their own.

Writes that bypass ``save()`` (``bulk_create``, ``bulk_update``, ``update()``, COPY)
record their rows with ``record_rows`` or ``record_objects``, so history is the same
whichever path made the change.
"""

from collections.abc import Iterable

from django.db import connection, models
from django.db.models import CharField, DateTimeField, IntegerField, Value
from django.utils import timezone
from simple_history.models import HistoricalRecords

_MISSING = object()
_BATCH = 900


class ChangeHistory(HistoricalRecords):
    def __init__(self, *args, unrecorded=(), **kwargs):
        self.unrecorded = frozenset(unrecorded)
        super().__init__(*args, **kwargs)

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            self.compared = tuple(
                field.attname
                for field in self.fields_included(sender)
                if field.attname not in self.unrecorded and field.name not in self.unrecorded
            )
            models.signals.post_init.connect(self._remember, sender=sender, weak=False)

    @staticmethod
    def _snapshot(instance) -> dict:
        # A shallow copy of the values: cheap for every row a page reads.
        values = dict(instance.__dict__)
        values.pop("_history_saved", None)
        return values

    def _remember(self, instance, **kwargs):
        instance._history_saved = self._snapshot(instance)

    def _unchanged(self, instance) -> bool:
        saved = getattr(instance, "_history_saved", None)
        if saved is None:
            return False
        state = instance.__dict__
        return all(saved.get(name, _MISSING) == state.get(name, _MISSING) for name in self.compared)

    def post_save(self, instance, created, using=None, **kwargs):
        unchanged = not created and self._unchanged(instance)
        instance._history_saved = self._snapshot(instance)
        if not unchanged:
            super().post_save(instance, created, using=using, **kwargs)


def historical_model(model):
    """The model holding ``model``'s history rows."""
    return getattr(model, model._meta.simple_history_manager_attribute).model


def record_rows(queryset, *, change: str, user=None, at=None) -> int:
    """One history row for every row of ``queryset`` as it is now: ``change`` is "+"
    (created), "~" (changed) or "-" (deleted, before the delete). Written in one
    INSERT ... SELECT, whatever the number of rows; returns how many."""
    model = queryset.model
    historical = historical_model(model)
    names = [field.attname for field in historical.tracked_fields]
    recorded = {
        "history_date": Value(at or timezone.now(), output_field=DateTimeField()),
        "history_type": Value(change, output_field=CharField()),
        "history_user_id": Value(getattr(user, "pk", None), output_field=IntegerField()),
    }
    labels = {name: f"_recorded_{name}" for name in recorded}
    selected = (
        queryset.order_by()
        .annotate(**{labels[name]: value for name, value in recorded.items()})
        .values_list(*names, *labels.values())
    )
    sql, params = selected.query.sql_with_params()
    columns = ", ".join(
        connection.ops.quote_name(historical._meta.get_field(name).column)
        for name in [*names, *recorded]
    )
    table = connection.ops.quote_name(historical._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
        return cursor.rowcount


def record_objects(model, objects: Iterable, *, change: str, user=None, at=None) -> int:
    """``record_rows`` for model instances already written (by ``bulk_create`` or
    ``bulk_update``), read back by primary key in batches."""
    keys = [obj.pk for obj in objects]
    written = 0
    for start in range(0, len(keys), _BATCH):
        batch = model._base_manager.filter(pk__in=keys[start : start + _BATCH])
        written += record_rows(batch, change=change, user=user, at=at)
    return written
