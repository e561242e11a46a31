"""A report version's downloads: Word, PDF and Excel, readable by exactly those who may
read that version on the report's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from ..documents import FORMATS, document
from ..selectors.reports import versions_visible_to
from .reports import visible_report


@login_required
@require_GET
def download(request, pk: int, number: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    report = visible_report(request.user, pk)
    version = versions_visible_to(request.user, report).filter(number=number).first()
    if version is None:
        raise Http404
    content, content_type, name = document(version, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
