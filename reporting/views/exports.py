"""CSV and Excel downloads of the audits behind a view of the figures."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from accounts.tokens import token_or_login_required
from common.spreadsheets import CSV_TYPE, XLSX_TYPE, rows_frame, to_csv, to_xlsx

from ..filters import slice_from
from ..selectors.rows import audit_rows


def _download(request, extension: str):
    if not request.user.has_perm("reporting.view_figures"):
        raise PermissionDenied
    reading = slice_from(request.user, request.GET)
    if reading.errors:
        text = "".join(f"{name}: {message}\n" for name, message in reading.errors.items())
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    if reading.denied:
        return HttpResponse(reading.denied, status=403, content_type="text/plain; charset=utf-8")
    s = reading.slice
    frame = rows_frame(*audit_rows(s))
    if extension == "csv":
        response = HttpResponse(to_csv(frame), content_type=CSV_TYPE)
    else:
        response = HttpResponse(to_xlsx(frame), content_type=XLSX_TYPE)
    name = f"audits-{s.start:%Y-%m-%d}-to-{s.end:%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@token_or_login_required
@require_GET
def export_csv(request):
    return _download(request, "csv")


@token_or_login_required
@require_GET
def export_xlsx(request):
    return _download(request, "xlsx")
