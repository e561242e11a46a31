"""Everything an import looks up, read into dictionaries: the organisation once, and
what the rows name once per chunk of rows, so that checking 5,000 rows makes a handful
of queries, not thousands, and memory does not grow with the file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models.functions import Lower

from accounts.models import ServiceArea, Team, User

from ..models import Audit, AuditTemplate, Child, Domain
from .values import name_key

#: the template family imported audits are recorded on, when it is installed
TEMPLATE_FAMILY = "child-journey-audit"
#: how many values go in one ``IN (...)`` query
CHUNK = 1000


def _chunks(values: Iterable[str]):
    values = sorted(set(values))
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _by_key(objects, key):
    """A dictionary by ``key``; where two objects share a key the first (oldest) wins."""
    found = {}
    for obj in objects:
        found.setdefault(key(obj), obj)
    return found


@dataclass
class Lookups:
    #: name_key(area name) -> area
    areas: dict[str, ServiceArea] = field(default_factory=dict)
    #: (name_key(area name), name_key(team name)) -> team
    teams: dict[tuple[str, str], Team] = field(default_factory=dict)
    #: name_key(team name) -> names of the service areas that have a team of that name
    team_areas: dict[str, list[str]] = field(default_factory=dict)
    #: name_key(domain name) -> domain
    domains: dict[str, Domain] = field(default_factory=dict)
    #: email in lower case -> person
    people: dict[str, User] = field(default_factory=dict)
    #: case reference -> child
    children: dict[str, Child] = field(default_factory=dict)
    #: reference -> audit, with its gradings
    audits: dict[str, Audit] = field(default_factory=dict)
    template: AuditTemplate | None = None

    @classmethod
    def load(cls):
        """What every row may name: the organisation, the domains and the template.
        The people, children and audits named are read a chunk of rows at a time, by
        ``load_rows``."""
        lookups = cls()
        areas = list(ServiceArea.objects.order_by("pk"))
        lookups.areas = _by_key(areas, lambda area: name_key(area.name))
        area_keys = {area.pk: name_key(area.name) for area in areas}
        area_names = {area.pk: area.name for area in areas}
        teams = list(Team.objects.order_by("pk"))
        lookups.teams = _by_key(
            teams, lambda team: (area_keys[team.service_area_id], name_key(team.name))
        )
        for team in teams:
            lookups.team_areas.setdefault(name_key(team.name), []).append(
                area_names[team.service_area_id]
            )
        lookups.domains = _by_key(Domain.objects.order_by("pk"), lambda d: name_key(d.name))
        templates = AuditTemplate.objects.filter(is_active=True)
        lookups.template = (
            templates.filter(family=TEMPLATE_FAMILY).first() or templates.order_by("pk").first()
        )
        return lookups

    def load_rows(
        self, *, emails: Iterable[str], child_refs: Iterable[str], audit_refs: Iterable[str]
    ) -> None:
        """Read the people, children and audits a chunk of rows names, replacing the
        previous chunk's children and audits (people, few, are kept)."""
        emails = {email for email in emails if email and email not in self.people}
        for chunk in _chunks(emails):
            self.people.update(
                _by_key(
                    User.objects.annotate(email_lower=Lower("email"))
                    .filter(email_lower__in=chunk)
                    .order_by("pk"),
                    lambda person: person.email.lower(),
                )
            )
        self.children = {}
        for chunk in _chunks(ref for ref in child_refs if ref):
            self.children.update(
                (child.case_reference, child)
                for child in Child.objects.filter(case_reference__in=chunk)
            )
        self.audits = {}
        for chunk in _chunks(ref for ref in audit_refs if ref):
            self.audits.update(
                (audit.reference, audit)
                for audit in Audit.objects.filter(reference__in=chunk).prefetch_related("gradings")
            )
