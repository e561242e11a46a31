"""What the moderation views share: scoped getters and error-summary links."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .. import selectors


def today():
    return timezone.localdate()


def get_panel_for_user(user, pk):
    """The panel if the user may see it: 404 outside their panels, 403 if they may not
    view it."""
    panel = get_object_or_404(selectors.panels_visible_to(user), pk=pk)
    if not user.has_perm("moderation.view_panel", panel):
        raise PermissionDenied
    return panel


def get_review_for_user(user, pk, permission="moderation.view_review"):
    review = get_object_or_404(selectors.reviews_visible_to(user), pk=pk)
    if not user.has_perm(permission, review):
        raise PermissionDenied
    return review


def get_loop_for_user(user, pk):
    loop = get_object_or_404(selectors.loops_visible_to(user), pk=pk)
    if not user.has_perm("moderation.view_loop", loop):
        raise PermissionDenied
    return loop


def require(user, permission, obj=None):
    if not user.has_perm(permission, obj):
        raise PermissionDenied


def add_service_errors(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form: keyed messages to their fields
    where the form has them, the rest to the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
