"""The admin: the QA Lead and administrators edit the closing the loop settings; the QA
Lead may look at (not change) actions, cases, re-audits and tracker emails here, and with
the Administrator service improvement actions and their history. Every change to those
goes through the service pages, which keep their history."""

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from audits.viewlog import AdminViewLogMixin
from common.admin_views import ReadOnlyAdmin

from .models import (
    Action,
    ActionSettings,
    ActionUpdate,
    CaseAudit,
    CaseOfConcern,
    CaseUpdate,
    ReauditProposal,
    ServiceImprovementAction,
    ServiceImprovementUpdate,
    TrackerEmail,
    TrackerRun,
)


@admin.register(ActionSettings)
class ActionSettingsAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    fieldsets = [
        ("Due dates", {"fields": ["care_planning_days", "other_days"]}),
        ("Following up", {"fields": ["no_update_days", "escalation_days", "link_expiry_days"]}),
        ("Re-audits", {"fields": ["reaudit_months", "reaudit_requires_improvement"]}),
    ]

    def has_add_permission(self, request):
        return not ActionSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    fields = [
        "kind",
        "happened_on",
        "recorded_on",
        "note",
        "child_family_involved",
        "iro_involved",
        "created_by",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(AdminViewLogMixin, ReadOnlyAdmin):
    list_display = ["__str__", "kind", "owner", "team", "raised_on", "due_date"]
    list_filter = ["kind", "team__service_area", "raised_on"]
    search_fields = ["child__case_reference", "text"]
    list_select_related = ["child", "owner", "team"]
    inlines = [ActionUpdateInline]

    def audits_shown(self, action):
        return [action.audit_id]


class CaseAuditInline(admin.TabularInline):
    model = CaseAudit
    extra = 0
    fields = ["audit", "final_grade", "linked_on", "grade_changed_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CaseUpdateInline(admin.TabularInline):
    model = CaseUpdate
    extra = 0
    fields = ["month", "child_safe", "plan_progressing", "notes", "created_by", "recorded_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CaseOfConcern)
class CaseOfConcernAdmin(AdminViewLogMixin, ReadOnlyAdmin):
    list_display = [
        "__str__",
        "child",
        "service_area",
        "head_of_service",
        "opened_on",
        "resolved_on",
    ]
    list_filter = ["service_area", "resolved_on"]
    search_fields = ["child__case_reference"]
    list_select_related = ["child", "service_area", "head_of_service"]
    inlines = [CaseAuditInline, CaseUpdateInline]

    def audits_shown(self, case):
        return case.links.values_list("audit_id", flat=True)


@admin.register(ReauditProposal)
class ReauditProposalAdmin(AdminViewLogMixin, ReadOnlyAdmin):
    list_display = ["__str__", "status", "earlier_grade", "reaudit_grade", "outcome"]
    list_filter = ["status", "outcome", "due_month"]
    search_fields = ["child__case_reference"]
    list_select_related = ["child"]

    def audits_shown(self, proposal):
        return [proposal.audit_id, proposal.reaudit_id]


class TrackerEmailInline(admin.TabularInline):
    model = TrackerEmail
    extra = 0
    fields = ["recipient", "outbox", "item_count"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrackerRun)
class TrackerRunAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "period_start", "created_at"]
    list_filter = ["kind"]
    inlines = [TrackerEmailInline]


class ServiceImprovementUpdateInline(admin.TabularInline):
    model = ServiceImprovementUpdate
    extra = 0
    fields = ["created_at", "created_by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ServiceImprovementAction)
class ServiceImprovementActionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "service_area",
        "raised_in",
        "raised_on",
        "timescale",
        "completed_on",
    ]
    list_filter = ["service_area", "raised_on", "completed_on"]
    search_fields = ["title", "finding", "raised_in", "lead_description"]
    list_select_related = ["service_area"]
    filter_horizontal = ["leads"]
    inlines = [ServiceImprovementUpdateInline]
