"""The admin for the audit programme's reference data, and read-only views of audits.

It only presents. A template that has been used for audits is read-only here, with its
sections and questions, and "Make a new version to edit" gives the version to edit: the
rule is ``audits.services.templates``'. A child's social worker is changed through
``audits.services.children.child_save``, which follows the access rules.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from rules.contrib.admin import (
    ObjectPermissionsModelAdmin,
    ObjectPermissionsModelAdminMixin,
    ObjectPermissionsStackedInline,
    ObjectPermissionsTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import EditorAwareAdminMixin
from accounts.models import AccessKind, Team, User
from accounts.services import link_change_problem

from .models import (
    Answer,
    Audit,
    AuditEvent,
    AuditTemplate,
    Child,
    ChildViewEvent,
    Domain,
    DomainGrading,
    GradeChange,
    GradeDescriptor,
    ImportJob,
    MultiAgencyAudit,
    PracticeObservation,
    ProgrammeSettings,
    ProposedAction,
    Question,
    SampleAudit,
    TemplateSection,
)
from .selectors import unused_templates
from .services.children import child_save
from .services.templates import (
    TEMPLATE_IN_USE,
    VersionOutcome,
    template_check_editable,
    template_is_used,
    template_mark_used,
    template_version_to_edit,
)
from .services.viewing import child_log_viewed
from .viewlog import AdminViewLogMixin

NOT_USED_YET = "This version has not been used for audits yet, so you can edit it here."
NEWER_VERSION_WAITING = (
    "Version {version} of this template has not been used yet: edit that version instead "
    "of making another."
)
NEW_VERSION_MADE = (
    "Version {version} made: edit it here. Audits done on version {old} keep that version."
)


class ChildForm(forms.ModelForm):
    by = None

    class Meta:
        model = Child
        fields = [
            "case_reference",
            "team",
            "legal_status",
            "date_of_birth",
            "social_worker",
            "is_open",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain lists: the people and teams admin pages are the Administrator's, so
        # their search boxes are not open to the QA Lead who edits children.
        self.fields["team"].queryset = Team.objects.select_related("service_area")
        self.fields["social_worker"].queryset = User.objects.filter(is_active=True)

    def clean_social_worker(self):
        worker = self.cleaned_data.get("social_worker")
        problem = link_change_problem(
            by=self.by,
            kind=AccessKind.SOCIAL_WORKER,
            before_id=self.instance.social_worker_id if self.instance.pk else None,
            after_id=worker.pk if worker else None,
        )
        if problem:
            raise ValidationError(problem)
        return worker


@admin.register(Child)
class ChildAdmin(AdminViewLogMixin, EditorAwareAdminMixin, ObjectPermissionsModelAdmin):
    form = ChildForm
    list_display = ["case_reference", "team", "legal_status", "social_worker", "is_open"]
    list_filter = ["legal_status", "is_open", "team__service_area"]
    search_fields = ["case_reference"]
    list_select_related = ["team", "social_worker"]

    def save_model(self, request, obj, form, change):
        child_save(child=obj, by=request.user)

    def log_viewed(self, request, obj):
        child_log_viewed(user=request.user, child=obj, note="Admin")


# Templates and versioning -------------------------------------------------------------


def _follow(obj, path: str):
    """The object reached from ``obj`` by a dotted attribute path ("" is obj itself)."""
    for name in filter(None, path.split(".")):
        obj = getattr(obj, name)
    return obj


def _check_editable(template) -> None:
    """The service's refusal, as the admin's: a template used since the page was checked."""
    try:
        template_check_editable(template)
    except ValidationError as error:
        raise PermissionDenied(TEMPLATE_IN_USE) from error


class TemplateInUseMixin:
    """Read-only when the object's template has been used, with the reason on the page.
    ``template_path`` leads from the object to its template."""

    template_path = ""

    def template_of(self, obj):
        return _follow(obj, self.template_path)

    def is_locked(self, obj) -> bool:
        return obj is not None and template_is_used(self.template_of(obj))

    def has_change_permission(self, request, obj=None):
        if self.is_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self.is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        locked = self.is_locked(obj)
        if locked and request.method == "GET":
            messages.warning(request, TEMPLATE_IN_USE)
        extra_context = {**(extra_context or {}), "template_in_use": locked}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        _check_editable(self.template_of(obj))
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        _check_editable(self.template_of(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            _check_editable(self.template_of(obj))
        super().delete_queryset(request, queryset)


class LockedWithTemplateInline:
    """An inline that cannot be added to, changed or deleted once the template is used.
    ``parent_template_path`` leads from the inline's parent object to the template."""

    parent_template_path = ""

    def parent_template(self, obj):
        return _follow(obj, self.parent_template_path)

    def _locked(self, obj) -> bool:
        return obj is not None and template_is_used(self.parent_template(obj))

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class TemplateSectionInline(LockedWithTemplateInline, ObjectPermissionsTabularInline):
    model = TemplateSection
    extra = 0
    fields = ["order", "title", "domain", "guidance"]
    show_change_link = True
    autocomplete_fields = ["domain"]


@admin.register(AuditTemplate)
class AuditTemplateAdmin(TemplateInUseMixin, ObjectPermissionsModelAdmin):
    list_display = ["name", "family", "version", "is_active", "used", "created_at"]
    list_filter = ["is_active", "family"]
    search_fields = ["name", "family"]
    inlines = [TemplateSectionInline]
    actions = ["make_new_version"]
    readonly_fields = ["version", "created_at", "created_by"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_used=Exists(Audit.objects.filter(template=OuterRef("pk"))))
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            template_mark_used(obj, obj._used)
        return obj

    @admin.display(boolean=True, description="Used for audits")
    def used(self, obj):
        return obj._used

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("family")
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/new-version/",
                self.admin_site.admin_view(self.new_version_view),
                name="audits_audittemplate_new_version",
            ),
            *super().get_urls(),
        ]

    def _make_new_version(self, request, template: AuditTemplate) -> AuditTemplate:
        to_edit = template_version_to_edit(template=template, user=request.user)
        if to_edit.outcome == VersionOutcome.UNUSED:
            messages.info(request, NOT_USED_YET)
        elif to_edit.outcome == VersionOutcome.WAITING:
            messages.warning(
                request, NEWER_VERSION_WAITING.format(version=to_edit.template.version)
            )
        else:
            messages.success(
                request,
                NEW_VERSION_MADE.format(version=to_edit.template.version, old=template.version),
            )
        return to_edit.template

    def new_version_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        template = self.get_object(request, object_id)
        if template is None:
            raise Http404
        if not self.has_add_permission(request):
            raise PermissionDenied
        new = self._make_new_version(request, template)
        return redirect(reverse("admin:audits_audittemplate_change", args=[new.pk]))

    @admin.action(description="Make a new version to edit", permissions=["add"])
    def make_new_version(self, request, queryset):
        made = [self._make_new_version(request, template) for template in queryset]
        if len(made) == 1:
            return redirect(reverse("admin:audits_audittemplate_change", args=[made[0].pk]))
        return None


class QuestionInline(LockedWithTemplateInline, ObjectPermissionsStackedInline):
    model = Question
    extra = 0
    fields = ["order", "text", "kind", "required", "needs_comment", "help_text", "choices"]

    parent_template_path = "template"


@admin.register(TemplateSection)
class TemplateSectionAdmin(TemplateInUseMixin, ObjectPermissionsModelAdmin):
    list_display = ["title", "template", "order", "domain"]
    list_filter = ["template__family", "template__is_active"]
    search_fields = ["title", "template__name"]
    list_select_related = ["template", "domain"]
    autocomplete_fields = ["domain"]
    inlines = [QuestionInline]

    template_path = "template"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "template":
            kwargs["queryset"] = unused_templates()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Question)
class QuestionAdmin(TemplateInUseMixin, ObjectPermissionsModelAdmin):
    list_display = ["text", "section", "order", "kind", "required"]
    list_filter = ["kind", "section__template__family"]
    search_fields = ["text", "section__title"]
    list_select_related = ["section__template"]

    template_path = "section.template"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["queryset"] = TemplateSection.objects.filter(
                template__in=unused_templates()
            ).select_related("template")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Domains and grade descriptors --------------------------------------------------------


class GradeDescriptorInline(ObjectPermissionsStackedInline):
    model = GradeDescriptor
    extra = 0
    max_num = 4
    fields = ["grade", "text", "change_history"]
    readonly_fields = ["change_history"]

    @admin.display(description="Change history")
    def change_history(self, obj):
        if obj.pk is None:
            return "-"
        url = reverse("admin:audits_gradedescriptor_history", args=[obj.pk])
        return format_html('<a href="{}">Every change to this descriptor</a>', url)


@admin.register(Domain)
class DomainAdmin(ObjectPermissionsModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    fields = ["name", "description", "is_active", "recent_descriptor_changes"]
    readonly_fields = ["recent_descriptor_changes"]
    inlines = [GradeDescriptorInline]

    @admin.display(description="Recent changes to the descriptors")
    def recent_descriptor_changes(self, obj):
        if obj.pk is None:
            return "-"
        history = GradeDescriptor.history.filter(domain_id=obj.pk).select_related("history_user")[
            :10
        ]
        if not history:
            return "No changes recorded."
        rows = format_html_join(
            "",
            "<li>{}: {} {} by {}</li>",
            (
                (
                    f"{record.history_date:%d %b %Y %H:%M}",
                    record.get_grade_display(),
                    record.get_history_type_display().lower(),
                    record.history_user or "the system",
                )
                for record in history
            ),
        )
        return format_html("<ul>{}</ul>", rows)


@admin.register(GradeDescriptor)
class GradeDescriptorAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    list_display = ["domain", "grade"]
    list_filter = ["grade", "domain"]
    search_fields = ["domain__name", "text"]
    list_select_related = ["domain"]


# Programme settings -----------------------------------------------------------------


@admin.register(ProgrammeSettings)
class ProgrammeSettingsAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """One row: there is nothing to add or delete, only the settings to change."""

    def has_add_permission(self, request):
        return not ProgrammeSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings = ProgrammeSettings.load()
        return redirect(reverse("admin:audits_programmesettings_change", args=[settings.pk]))


# Audits and their records (read only) ---------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    """Shown to whoever may view the audit; never edited here."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("audits.view_audit", obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DomainGradingInline(ReadOnlyInline):
    model = DomainGrading
    fields = ["domain", "grade", "ri_band", "evidence"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("domain")


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["question", "value", "comment"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")


class ProposedActionInline(ReadOnlyInline):
    model = ProposedAction
    fields = ["text", "for_child_plan", "suggested_owner", "suggested_due"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("suggested_owner")


class GradeChangeInline(ReadOnlyInline):
    model = GradeChange
    fields = ["domain", "old_grade", "new_grade", "stage", "reason", "changed_by", "changed_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("domain", "changed_by")


class ViewOnlyAdmin(ObjectPermissionsModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Audit)
class AuditAdmin(AdminViewLogMixin, ViewOnlyAdmin):
    list_display = [
        "display_reference",
        "child",
        "team",
        "auditor",
        "month",
        "status",
        "overall_grade",
        "completed_on",
    ]
    list_filter = ["status", "audit_type", "overall_grade", "team__service_area"]
    date_hierarchy = "month"
    search_fields = ["reference", "child__case_reference", "auditor__email"]
    list_select_related = ["child", "team", "auditor"]
    inlines = [DomainGradingInline, AnswerInline, ProposedActionInline, GradeChangeInline]


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyAdmin):
    list_display = ["at", "audit", "kind", "user", "note"]
    list_filter = ["kind"]
    date_hierarchy = "at"
    search_fields = ["audit__reference", "audit__child__case_reference", "user__email"]
    list_select_related = ["audit", "user"]


@admin.register(ChildViewEvent)
class ChildViewEventAdmin(ViewOnlyAdmin):
    list_display = ["at", "child", "user", "note"]
    date_hierarchy = "at"
    search_fields = ["child__case_reference", "user__email"]
    list_select_related = ["child", "user"]


@admin.register(ImportJob)
class ImportJobAdmin(ViewOnlyAdmin):
    list_display = [
        "original_name",
        "created_by",
        "created_at",
        "status",
        "dry_run",
        "created_count",
        "updated_count",
        "error_count",
    ]
    list_filter = ["status", "dry_run"]
    list_select_related = ["created_by"]


# Other audit types -------------------------------------------------------------------


@admin.register(SampleAudit)
class SampleAuditAdmin(ObjectPermissionsModelAdmin):
    list_display = ["topic", "kind", "month", "records_sampled", "lead", "service_area"]
    list_filter = ["kind", "service_area", "month"]
    search_fields = ["topic"]
    list_select_related = ["lead", "service_area"]


@admin.register(MultiAgencyAudit)
class MultiAgencyAuditAdmin(ObjectPermissionsModelAdmin):
    list_display = ["topic", "month", "families_considered", "lead"]
    list_filter = ["month"]
    search_fields = ["topic"]
    list_select_related = ["lead"]


@admin.register(PracticeObservation)
class PracticeObservationAdmin(ObjectPermissionsModelAdmin):
    list_display = ["practitioner", "observer", "team", "observed_on", "setting", "grade"]
    list_filter = ["setting", "grade", "team__service_area"]
    search_fields = ["practitioner__email", "observer__email", "team__name"]
    list_select_related = ["practitioner", "observer", "team"]
