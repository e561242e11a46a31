"""The admin: the QA Lead and administrators edit the retention settings; the QA Lead
reads each retention run and each search of the records."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from common.admin_views import ReadOnlyAdmin

from .models import RecordSearch, RetentionRun, RetentionSettings


@admin.register(RetentionSettings)
class RetentionSettingsAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    fields = ["audit_years", "feedback_years", "action_years", "case_record_years"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """There is one row: the list opens it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings = RetentionSettings.load()
        return redirect(reverse("admin:governance_retentionsettings_change", args=[settings.pk]))


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["day", "at", "counts"]


@admin.register(RecordSearch)
class RecordSearchAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "criteria", "exported"]
    list_select_related = ["user"]
