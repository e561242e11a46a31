"""The admin: the QA Lead edits moderation settings and capacities; panels, reviews,
looped audits, pairings and endorsement are read here and changed in the pages, where
the rules live."""

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from audits.viewlog import AdminViewLogMixin

from .models import (
    EndorsementOverride,
    LoopedAudit,
    ModerationReview,
    ModerationSettings,
    ModeratorCapacity,
    Pairing,
    Panel,
    ReviewDomainGrade,
    ReviewEvent,
    ReviewReason,
)


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "target_share",
        "default_capacity",
        "pairing_months",
        "endorsement_run",
        "observers_per_panel",
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ModerationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModeratorCapacity)
class ModeratorCapacityAdmin(ObjectPermissionsModelAdmin):
    list_display = ["moderator", "monthly_capacity"]
    search_fields = ["moderator__first_name", "moderator__last_name", "moderator__email"]
    autocomplete_fields = ["moderator"]
    list_select_related = ["moderator"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewDomainGradeInline(ReadOnlyInline):
    model = ReviewDomainGrade
    fields = ["domain", "original_grade", "moderated_grade", "rationale"]


class ReviewReasonInline(ReadOnlyInline):
    model = ReviewReason
    fields = ["reason"]


class ReviewEventInline(ReadOnlyInline):
    model = ReviewEvent
    fields = ["kind", "user", "reason", "at"]


@admin.register(Panel)
class PanelAdmin(ObjectPermissionsModelAdmin):
    list_display = ["month", "date", "chair", "target_share", "status"]
    list_filter = ["status"]
    date_hierarchy = "month"
    list_select_related = ["chair"]
    filter_horizontal = ["moderators", "observers"]


@admin.register(ModerationReview)
class ModerationReviewAdmin(AdminViewLogMixin, ObjectPermissionsModelAdmin):
    list_display = [
        "audit",
        "panel",
        "moderator",
        "status",
        "original_grade",
        "moderated_grade",
        "outcome",
        "finalised_at",
    ]
    list_filter = ["status", "outcome", "is_imported", "panel"]
    search_fields = ["audit__child__case_reference", "audit__reference"]
    list_select_related = ["audit__child", "panel", "moderator"]
    raw_id_fields = ["audit"]
    inlines = [ReviewDomainGradeInline, ReviewReasonInline, ReviewEventInline]

    def audits_shown(self, review):
        return [review.audit_id]


@admin.register(LoopedAudit)
class LoopedAuditAdmin(AdminViewLogMixin, ObjectPermissionsModelAdmin):
    list_display = ["__str__", "status", "panel", "created_at"]
    list_filter = ["status"]
    search_fields = ["first__child__case_reference"]
    list_select_related = ["first__child", "panel"]
    raw_id_fields = ["first", "second"]

    def audits_shown(self, loop):
        return [loop.first_id, loop.second_id]


@admin.register(Pairing)
class PairingAdmin(ObjectPermissionsModelAdmin):
    list_display = ["auditor", "moderator", "starts_on", "ends_on"]
    list_filter = ["starts_on"]
    search_fields = ["auditor__last_name", "moderator__last_name"]
    list_select_related = ["auditor", "moderator"]


@admin.register(EndorsementOverride)
class EndorsementOverrideAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    list_display = ["auditor", "endorsed", "reason", "set_by", "set_at"]
    list_filter = ["endorsed"]
    list_select_related = ["auditor", "set_by"]
