"""What every moderation form shares: error-summary links and the person field."""

from __future__ import annotations

import datetime

from django import forms


class ErrorLinksMixin:
    """Links for the error summary that reach the first input of each field: the first
    radio or checkbox (``id_<name>_1`` in the GOV.UK template pack) or the day box of
    a date."""

    def field_anchor(self, name: str) -> str:
        bound = self[name]
        widget = bound.field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"id_{bound.html_name}_1"
        if isinstance(widget, forms.MultiWidget):
            return f"{bound.auto_id}_0"
        return bound.auto_id

    def error_links(self) -> list[tuple[str, str]]:
        links = []
        visible = [f.name for f in self.visible_fields()]
        first = self.field_anchor(visible[0]) if visible else ""
        for error in self.non_field_errors():
            links.append((first, error))
        for name in visible:
            for error in self.errors.get(name, []):
                links.append((self.field_anchor(name), error))
        return links


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


def clean_month(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)
