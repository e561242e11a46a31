"""Every URL pattern of the product, made into a real address.

``walk()`` yields each pattern of the root URL configuration (named or not, the admin's
and the API's included) with its full route; ``address()`` fills its parameters with the
ids of real objects (tests/qa_audit/conftest.py ``every_kind``).
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
_UNNAMED_GROUP = re.compile(r"\((?!\?)[^)]*\)")


@dataclass
class Pattern:
    parts: list  # the RoutePattern/RegexPattern of each level, outermost first
    name: str | None  # "namespace:name"
    view: str

    @property
    def route(self) -> str:
        return "".join(str(part) for part in self.parts)


def walk(patterns=None, parts=(), namespace=None):
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry.url_patterns, (*parts, entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Pattern([*parts, entry.pattern], name, entry.lookup_str)


def _fill_route(text: str, value) -> str:
    return _ROUTE_PARAMETER.sub(lambda m: str(value(m["name"])), text)


def _fill_regex(text: str, value) -> str:
    """Named groups by their name; unnamed ones (django-simple-history's) as ``_1``, ``_2``."""
    text = text.removeprefix("^").removesuffix("$")
    text = _REGEX_GROUP.sub(lambda m: str(value(m["name"])), text)
    position = iter(range(1, 100))
    text = _UNNAMED_GROUP.sub(lambda m: str(value(f"_{next(position)}")), text)
    return text.replace("/?", "/").replace("\\.", ".")


def address(pattern: Pattern, value) -> str:
    """The pattern's path with each parameter replaced by ``value(name)``."""
    path = ""
    for part in pattern.parts:
        if isinstance(part, RoutePattern):
            path += _fill_route(str(part), value)
        else:
            path += _fill_regex(str(part), value)
    return "/" + path


def admin_model(pattern: Pattern):
    """The model of an admin URL such as admin/audits/child/<path:object_id>/change/."""
    match = re.match(r"admin/(\w+)/(\w+)/", pattern.route)
    if not match:
        return None
    try:
        return apps.get_model(match[1], match[2])
    except LookupError:
        return None
