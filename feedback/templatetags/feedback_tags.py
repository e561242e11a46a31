from django import template

from ..models import Answer
from ..questions import QUESTIONS

register = template.Library()


@register.filter
def answers(feedback) -> list[tuple[str, str]]:
    """(question, answer) for each question, as staff pages show them."""
    return [(q.staff, Answer(getattr(feedback, q.field)).label) for q in QUESTIONS]


@register.filter
def percent(value) -> str:
    return "–" if value is None else f"{value:g}%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")
