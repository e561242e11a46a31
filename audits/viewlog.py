"""Recording views from the API and the admin, through audits.services.viewing.

Each viewset or model admin that shows audits, or records made from them, names the
audits an object shows (``audits_shown``); the mixins record a view when a GET answered
with the object (a detail, an admin page) or with a page of a list. The note names the
place and the record: "API: moderation review 5", "API: list of audits",
"Admin: case of concern 3".
"""

from collections.abc import Iterable

from .models import Audit
from .services.viewing import audits_log_viewed


class ApiViewLogMixin:
    """For a DRF viewset: ``retrieve`` records the object's audits; ``list`` records the
    audits of every object on the page it answered with."""

    def audits_shown(self, obj) -> Iterable[Audit | int]:
        return [obj]

    def _log(self, objects, note: str) -> None:
        if self.request.method != "GET":
            return
        shown = [audit for obj in objects for audit in self.audits_shown(obj)]
        audits_log_viewed(user=self.request.user, audits=shown, note=note)

    def get_object(self):
        obj = super().get_object()
        if self.action == "retrieve":
            self._log([obj], f"API: {obj._meta.verbose_name} {obj.pk}")
        return obj

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if self.action == "list" and page is not None:
            self._log(page, f"API: list of {queryset.model._meta.verbose_name_plural}")
        return page


class AdminViewLogMixin:
    """For a ModelAdmin: opening an object's page (GET, answered 200) records a view on
    each audit it shows; ``log_viewed`` may record something else instead."""

    def audits_shown(self, obj) -> Iterable[Audit | int]:
        return [obj]

    def log_viewed(self, request, obj) -> None:
        note = f"Admin: {obj._meta.verbose_name} {obj.pk}"
        audits_log_viewed(user=request.user, audits=self.audits_shown(obj), note=note)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                self.log_viewed(request, obj)
        return response
