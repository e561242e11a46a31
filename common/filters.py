"""List filters every API and page shares (django-filter).

django-filter reads a number filter as a Decimal of any size, and a lookup on a foreign
key or an ``in`` list then hands the database an integer it cannot hold: SQLite raises
OverflowError (a 500). Here an id is a whole number from 1 to ID_MAX and any other integer
fits in 64 bits, refused with a message (a 400) before a query is built. The API's
filter backend makes these the defaults, so filters generated from ``filterset_fields``
are covered too.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django_filters import FilterSet as BaseFilterSet
from django_filters import NumberFilter
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework.filterset import FILTER_FOR_DBFIELD_DEFAULTS

from .forms import IdField

INTEGER_MIN, INTEGER_MAX = -(2**63), 2**63 - 1
INTEGER_INVALID = "Enter the {what} as a whole number from {min} to {max}"


class IdFilter(NumberFilter):
    """The id of a row; ``what`` names it in the message ("team")."""

    field_class = IdField

    def get_max_validator(self):
        return None  # the field's own bound, with its own message


class IntegerFormField(forms.IntegerField):
    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("min_value", INTEGER_MIN)
        kwargs.setdefault("max_value", INTEGER_MAX)
        super().__init__(**kwargs)
        message = INTEGER_INVALID.format(what=what, min=INTEGER_MIN, max=INTEGER_MAX)
        for code in ("invalid", "min_value", "max_value", "step_size"):
            self.error_messages[code] = message


class IntegerFilter(NumberFilter):
    """A whole number a 64-bit column holds; ``what`` names it in the message."""

    field_class = IntegerFormField

    def get_max_validator(self):
        return None


def _what(field: models.Field) -> dict:
    return {"what": str(field.verbose_name)}


_INTEGER_FIELDS = (
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
)


class FilterSet(BaseFilterSet):
    """django-filter's FilterSet with the REST framework's defaults (ISO date-times,
    true/false) and ids and integers bounded (see the module's note). Not the REST
    framework's FilterSet class itself: that one replaces a page's GOV.UK form helper
    with its own on every read of ``form``."""

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        **{field: {"filter_class": IntegerFilter, "extra": _what} for field in _INTEGER_FIELDS},
        models.AutoField: {"filter_class": IdFilter, "extra": _what},
        models.BigAutoField: {"filter_class": IdFilter, "extra": _what},
        models.SmallAutoField: {"filter_class": IdFilter, "extra": _what},
    }


class FilterBackend(DjangoFilterBackend):
    """The API's filter backend: filters generated from a view's ``filterset_fields``
    are built on FilterSet above."""

    filterset_base = FilterSet
