"""Finding and masking what identifies people and places in free text.

Two passes over a text:

1. **Known names**: the names the product holds for a child's case (``names_for_audit``):
   the child's name where one is held, their social worker, the team manager, the
   auditor, and the names of the team and service area; the child's case reference and
   the audit's reference; and the names and places the QA Lead listed to hide when the
   child's audit was sampled for the Ambassadors (the child's and family's names, a
   school). People are matched by full name and by each part of it; places and
   references whole. Matching ignores case and
   respects word boundaries ("Sam" is found in "Sam's", not in "Samples").
2. **Patterns**: UK postcodes, phone numbers and email addresses, and (when asked for)
   dates.

``find_identifiers`` lists what it finds; ``mask`` replaces each finding with a
placeholder such as ``[name]``. More sources of names (family contacts, for example)
are added by appending a function to ``NAME_SOURCES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


class Kind:
    PERSON = "person"
    PLACE = "place"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"
    DATE = "date"
    REFERENCE = "reference"


LABELS = {
    Kind.PERSON: "a name",
    Kind.PLACE: "a place",
    Kind.POSTCODE: "a postcode",
    Kind.PHONE: "a phone number",
    Kind.EMAIL: "an email address",
    Kind.DATE: "a date",
    Kind.REFERENCE: "a case reference",
}
PLACEHOLDERS = {
    Kind.PERSON: "[name]",
    Kind.PLACE: "[place]",
    Kind.POSTCODE: "[postcode]",
    Kind.PHONE: "[phone number]",
    Kind.EMAIL: "[email]",
    Kind.DATE: "[date]",
    Kind.REFERENCE: "[reference]",
}

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
PATTERNS: dict[str, re.Pattern] = {
    Kind.EMAIL: re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE),
    Kind.POSTCODE: re.compile(
        r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b",
        re.IGNORECASE,
    ),
    # UK numbers: 0 or +44, then 9 or 10 more digits with spaces, dashes or brackets.
    Kind.PHONE: re.compile(r"(?<![\w+])(?:\+44[\s-]?(?:\(0\))?|\(?0)(?:[\s)-]*\d){9,10}(?!\w)"),
    Kind.DATE: re.compile(
        r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
        rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?(?:\s+\d{{4}})?|"
        rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|"
        rf"(?:{_MONTHS})\.?\s+\d{{4}})\b",
        re.IGNORECASE,
    ),
}
#: the patterns a quote is checked against before it is ready for a report
QUOTE_PATTERNS = (Kind.POSTCODE, Kind.PHONE, Kind.EMAIL)
#: every pattern, for masking whole records
ALL_PATTERNS = (Kind.POSTCODE, Kind.PHONE, Kind.EMAIL, Kind.DATE)

#: parts of a name shorter than this are not matched alone ("Jo" still is, in full)
MIN_PART = 2


@dataclass(frozen=True)
class KnownName:
    text: str
    kind: str  # Kind.PERSON or Kind.PLACE


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    text: str
    kind: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def person(first: str, last: str = "") -> list[KnownName]:
    """A person's full name and each part of it, as names to look for."""
    full = " ".join(p for p in (first.strip(), last.strip()) if p)
    names = [KnownName(full, Kind.PERSON)] if full else []
    for part in re.split(r"[\s-]+", full):
        if len(part) >= MIN_PART:
            names.append(KnownName(part, Kind.PERSON))
    return names


def place(name: str) -> list[KnownName]:
    name = name.strip()
    return [KnownName(name, Kind.PLACE)] if name else []


def reference(text: str) -> list[KnownName]:
    text = (text or "").strip()
    return [KnownName(text, Kind.REFERENCE)] if text else []


def lines(text: str) -> list[str]:
    """The non-empty lines of a list typed one a line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _user(user) -> list[KnownName]:
    return person(user.first_name, user.last_name) if user is not None else []


def _case_names(audit) -> list[KnownName]:
    child, team = audit.child, audit.team
    names: list[KnownName] = []
    # A child's name, where the case record holds one.
    names += person(getattr(child, "first_name", "") or "", getattr(child, "last_name", "") or "")
    names += _user(child.social_worker)
    names += _user(audit.auditor)
    for t in {team.pk: team, child.team.pk: child.team}.values():
        names += _user(t.manager)
        names += place(t.name)
        names += place(t.service_area.name)
    names += reference(child.case_reference)
    names += reference(audit.reference or "")
    return names


def _names_to_hide(audit) -> list[KnownName]:
    """What the QA Lead listed to hide on any Ambassadors' review of the child."""
    from .models import AmbassadorReview

    names: list[KnownName] = []
    for people, places in AmbassadorReview.objects.filter(child_id=audit.child_id).values_list(
        "hidden_names", "hidden_places"
    ):
        for line in lines(people):
            first, _, last = line.partition(" ")
            names += person(first, last)
        for line in lines(places):
            names += place(line)
    return names


#: functions from an audit to the names the product holds for its case
NAME_SOURCES: list[Callable[[object], Iterable[KnownName]]] = [_case_names, _names_to_hide]


def names_for_audit(audit) -> list[KnownName]:
    """Every name the product holds for the audit's case, without repeats.

    ``audit`` should come with ``child__social_worker``, ``child__team__manager``,
    ``child__team__service_area``, ``team__manager``, ``team__service_area`` and
    ``auditor`` selected (``audit_for_masking`` does this), or each costs a query.
    """
    seen: set[tuple[str, str]] = set()
    result = []
    for source in NAME_SOURCES:
        for name in source(audit):
            key = (name.text.casefold(), name.kind)
            if key not in seen:
                seen.add(key)
                result.append(name)
    return result


def audit_for_masking(audit_id: int):
    from audits.models import Audit

    return Audit.objects.select_related(
        "child__social_worker",
        "child__team__manager",
        "child__team__service_area",
        "team__manager",
        "team__service_area",
        "auditor",
    ).get(pk=audit_id)


def _name_pattern(text: str) -> re.Pattern:
    words = [re.escape(w) for w in text.split()]
    # Curly and straight apostrophes are the same letter to a reader.
    body = re.sub("['’]", "['’]", r"\s+".join(words))
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def find_identifiers(
    text: str, names: Iterable[KnownName] = (), *, patterns: Iterable[str] = QUOTE_PATTERNS
) -> list[Finding]:
    """Every known name and pattern in ``text``, in order, overlaps merged (the longer
    finding wins)."""
    if not text:
        return []
    found: list[Finding] = []
    for kind in patterns:
        for match in PATTERNS[kind].finditer(text):
            found.append(Finding(match.start(), match.end(), match.group(), kind))
    # Longest names first, so "Family Support North" wins over "North".
    for name in sorted(names, key=lambda n: -len(n.text)):
        for match in _name_pattern(name.text).finditer(text):
            found.append(Finding(match.start(), match.end(), match.group(), name.kind))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    merged: list[Finding] = []
    for finding in found:
        if merged and finding.start < merged[-1].end:
            continue
        merged.append(finding)
    return merged


def mask(
    text: str,
    names: Iterable[KnownName] = (),
    *,
    patterns: Iterable[str] = ALL_PATTERNS,
    placeholders: dict[str, str] | None = None,
) -> str:
    """``text`` with every finding replaced by its placeholder (``[name]``, ``[place]``…)."""
    placeholders = {**PLACEHOLDERS, **(placeholders or {})}
    findings = find_identifiers(text, names, patterns=patterns)
    out, last = [], 0
    for finding in findings:
        out.append(text[last : finding.start])
        out.append(placeholders[finding.kind])
        last = finding.end
    out.append(text[last:])
    return "".join(out)
