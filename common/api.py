"""REST API helpers every app shares: the JSON parser, and serializer fields for free
text, ids and dates with the same limits and messages as the forms (common.forms)."""

from __future__ import annotations

import datetime

from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.pagination import PageNumberPagination

from .forms import (
    ID_MAX,
    MAX_YEAR,
    MIN_YEAR,
    TEXT_MAX_LENGTH,
    date_messages,
    id_invalid,
    is_digits,
    text_too_long,
)

#: how deeply a JSON body may nest arrays and objects; no endpoint needs more than 4
JSON_MAX_DEPTH = 32
JSON_TOO_DEEP = (
    f"The JSON body nests arrays or objects more than {JSON_MAX_DEPTH} deep: send a flatter body"
)


def json_depth(value) -> int:
    """How deeply ``value`` nests lists and dicts (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > JSON_MAX_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a body nested too deeply (Python's decoder raises
    RecursionError on 100,000 "[", which DRF does not catch) with a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(JSON_TOO_DEEP) from None
        if json_depth(data) > JSON_MAX_DEPTH:
            raise ParseError(JSON_TOO_DEEP)
        return data


class TextField(serializers.CharField):
    """Free text of at most ``max_length`` characters (TEXT_MAX_LENGTH unless fewer),
    with the forms' message: ``name`` is the text as a message speaks of it."""

    def __init__(self, *, name: str, max_length: int = TEXT_MAX_LENGTH, **kwargs):
        max_length = min(max_length, TEXT_MAX_LENGTH)
        error_messages = {"max_length": text_too_long(name, max_length)}
        error_messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(max_length=max_length, error_messages=error_messages, **kwargs)


class IdField(serializers.IntegerField):
    """The id of a row: a whole number from 1 to the largest id the database holds.
    Anything else is refused before it reaches a query."""

    def __init__(self, *, what: str, **kwargs):
        message = id_invalid(what)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        error_messages = dict.fromkeys(
            ("invalid", "min_value", "max_value", "max_string_length"), message
        )
        error_messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(error_messages=error_messages, **kwargs)


class DateField(serializers.DateField):
    """A date as YYYY-MM-DD (or the given ``input_formats``) in a year from MIN_YEAR to
    MAX_YEAR, with messages that name it: ``name`` is the date ("the due date")."""

    def __init__(
        self,
        *,
        name: str,
        example: str = "2026-04-30",
        min_year: int = MIN_YEAR,
        max_year: int = MAX_YEAR,
        **kwargs,
    ):
        messages = date_messages(name, min_year=min_year, max_year=max_year)
        formats = kwargs.get("input_formats") or ["%Y-%m-%d"]
        shape = " or ".join(
            f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD") for f in formats
        )
        error_messages = {
            "invalid": f"Enter {name} as {shape}, like {example}",
            "datetime": f"Enter {name} as {shape}, like {example}, without a time",
            "year_range": messages["year_range"],
        }
        error_messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(error_messages=error_messages, **kwargs)
        self.min_year = min_year
        self.max_year = max_year

    def to_internal_value(self, value):
        day: datetime.date = super().to_internal_value(value)
        if not self.min_year <= day.year <= self.max_year:
            self.fail("year_range")
        return day


PAGE_SIZE_INVALID = "page_size must be a whole number from 1 to {most}"


class Pagination(PageNumberPagination):
    """Pages of 50 (``page_size`` up to 200); a ``page_size`` that is not a whole number
    in that range is refused (400) rather than quietly replaced."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # not given, or given empty as every optional parameter may be
            return self.page_size
        size = int(raw) if is_digits(raw) and len(raw) <= 4 else 0
        if not 1 <= size <= self.max_page_size:
            message = PAGE_SIZE_INVALID.format(most=self.max_page_size)
            raise ValidationError({self.page_size_query_param: [message]})
        return size
