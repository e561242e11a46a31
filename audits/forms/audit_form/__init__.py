"""The audit form (a page per section), its read-only summary, and the review forms."""

from .base import CHECK, AuditData, Field, Option, Section, SectionForm, audit_sections
from .review import ReasonForm, ReplyForm, ReturnForm
from .sections import section_form
from .summary import Row, audit_summary

__all__ = [
    "CHECK",
    "AuditData",
    "Field",
    "Option",
    "ReasonForm",
    "ReplyForm",
    "ReturnForm",
    "Row",
    "Section",
    "SectionForm",
    "audit_sections",
    "audit_summary",
    "section_form",
]
