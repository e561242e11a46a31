"""Emails rendered by name from three templates:
``emails/NAME-subject.html``, ``emails/NAME-body-text.html`` and ``emails/NAME-body-html.html``.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def make_message(name: str, to: list[str], context: dict, cc: list[str] | None = None):
    context = {
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "site_url": settings.SITE_URL,
        **context,
    }
    subject = render_to_string(f"emails/{name}-subject.html", context).strip()
    subject = " ".join(subject.split())
    text = render_to_string(f"emails/{name}-body-text.html", context)
    html = render_to_string(f"emails/{name}-body-html.html", context)
    message = EmailMultiAlternatives(subject, text, to=to, cc=cc or [])
    message.attach_alternative(html, "text/html")
    return message


def send(name: str, to: list[str], context: dict, cc: list[str] | None = None) -> None:
    make_message(name, to, context, cc).send()
