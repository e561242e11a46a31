"""Shared helpers for the actions tests."""

from actions.models import ActionUpdate, ActionUpdateKind


def add_update(action, kind, happened_on, recorded_on=None, **fields):
    return ActionUpdate.objects.create(
        action=action,
        kind=kind,
        happened_on=happened_on,
        recorded_on=recorded_on or happened_on,
        **fields,
    )


COMPLETED = ActionUpdateKind.COMPLETED
TRANSFERRED = ActionUpdateKind.TRANSFERRED
NOTE = ActionUpdateKind.NOTE
CHANGED = ActionUpdateKind.CHANGED
