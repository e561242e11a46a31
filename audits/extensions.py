"""Sections that the apps built on audits add to the audit form.

``audits`` imports none of those apps. An app describes its section with a subclass of
``FormSection`` and registers it from its ``AppConfig.ready()``; the form pages, the
autosave, the list of sections with their status, the check page, submission and the
audit page then treat it like the sections of ``audits`` itself:

- the page and the autosave build ``form_class()`` (a subclass of
  ``audits.forms.audit_form.SectionForm``) and pass its ``draft_data()`` to
  ``audits.services.audit.audit_save_draft``, which calls ``save_draft`` inside its own
  transaction, with the audit locked, the editor and the audit's version checked, and the
  version moved on afterwards, so a section's draft is saved exactly as the others are;
- ``is_filled`` and ``missing_items`` decide the section's status in the list, and
  missing items stop submission and are listed on the check page;
- ``summary_rows`` are the section's answers on the check page and the audit page;
- ``audit_page_links`` are links shown on the audit page to the app's own pages.

This module imports nothing from the rest of ``audits`` at import time, so every layer
(forms, services, views) can read the registry.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .forms.audit_form import AuditData, Row, SectionForm
    from .models import Audit
    from .services.audit import MissingItem

KEY = re.compile(r"^[a-z][a-z_]{2,30}$")
RESERVED = {"overall", "participation", "findings", "actions", "check"}


class FormSection:
    """One page that another app adds to the audit form."""

    #: the page's key in its address (/audits/<pk>/form/<key>/) and in missing items
    key: str = ""
    title: str = ""
    #: the key of the section of ``audits`` that this page follows
    after: str = "participation"

    def form_class(self) -> type[SectionForm]:
        raise NotImplementedError

    def load(self, audit: Audit) -> object:
        """What the page, status and summary read, loaded once per request (in a constant
        number of queries); kept as ``audit_data.extra[key]``."""
        return None

    def is_filled(self, audit_data: AuditData) -> bool:
        return False

    def missing_items(self, audit: Audit) -> list[MissingItem]:
        return []

    def save_draft(self, *, audit: Audit, user, data) -> None:
        """Save the page's ``draft_data()["sections"][key]``. Called by ``audit_save_draft``
        inside its transaction, the audit locked and checked editable by ``user``. Raise
        ``ValidationError`` for data that cannot be saved."""
        raise NotImplementedError

    def summary_rows(self, audit_data: AuditData) -> list[Row]:
        return []

    def audit_page_links(self, audit: Audit, user) -> list[tuple[str, str]]:
        """(text, url) pairs for the audit page, for this user."""
        return []


_registry: dict[str, FormSection] = {}


def register(section: FormSection) -> FormSection:
    """Add a section to every audit form; registering the same key again replaces it."""
    if not KEY.match(section.key) or section.key in RESERVED:
        raise ValueError(f"'{section.key}' cannot be the key of an audit form section.")
    if section.after not in RESERVED - {"check"}:
        raise ValueError(f"A section follows one of {sorted(RESERVED - {'check'})}.")
    _registry[section.key] = section
    return section


def unregister(key: str) -> None:
    _registry.pop(key, None)


def form_sections() -> list[FormSection]:
    return list(_registry.values())


def form_section(key: str) -> FormSection | None:
    return _registry.get(key)
