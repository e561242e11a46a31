"""The review screen, unlocking, and the auditor's feedback pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import is_qa_lead
from audits.models import GRADED, AuditEventKind, Grade
from audits.services.audit import audit_log_event

from .. import selectors
from ..forms import ReviewForm, UnlockForm
from ..models import DowngradeReason, Outcome
from ..services import (
    REVIEW_EDITED_ELSEWHERE,
    REVIEW_FINAL,
    ReviewConflictError,
    review_finalise,
    review_outcome,
    review_save,
    review_unlock,
)
from .common import get_review_for_user, require

REVIEW_SAVED = "Your review of {reference} is saved."
REVIEW_DONE = "Your review of {reference} is done. The auditor has been sent the feedback."
REVIEW_SAVED_NOT_DONE = (
    "Your changes to the review of {reference} are saved, but it is not marked as done: "
    "put right what is listed, then mark it as done."
)
REVIEW_UNLOCKED = "The review of {reference} is unlocked and can be changed again."
FORM_INCOMPLETE = "The form was incomplete: reload the review and enter your changes again"

DOMAIN_GRADES = [*GRADED, Grade.NOT_GRADED]


def _grade_options(name: str, original: str, selected: str, grades) -> list[dict]:
    """Radios with the auditor's grade first, labelled "Agree: <grade>"; the first
    radio's id is the field name, so the error summary can link to it."""
    ordered = ([original] if original in grades else []) + [g for g in grades if g != original]
    return [
        {
            "id": name if index == 0 else f"{name}-{grade}",
            "value": grade,
            "label": f"Agree: {Grade(grade).label}" if grade == original else Grade(grade).label,
            "checked": grade == selected,
            "agree": grade == original,
        }
        for index, grade in enumerate(ordered)
    ]


def _outcome_label(original: str, selected: str) -> str:
    if not selected:
        return "Not decided"
    return Outcome(review_outcome(original, selected)).label


def _fields(review, screen, values, errors) -> dict:
    """What the editable form shows: the values (typed, or saved, or the auditor's
    grades), the radios and the outcome that follows from the grades."""
    overall_selected = values("moderated_grade")
    overall = {
        "original": review.original_grade,
        "options": _grade_options(
            "moderated_grade", review.original_grade, overall_selected, GRADED
        ),
        "rationale": values("rationale"),
        "outcome": _outcome_label(review.original_grade, overall_selected),
        "error": errors.get("moderated_grade"),
        "rationale_error": errors.get("rationale"),
    }
    domains = []
    for entry in screen["domains"]:
        row = entry["row"]
        name = f"domain-{row.domain_id}"
        selected = values(name)
        domains.append(
            {
                **entry,
                "name": name,
                "original": row.original_grade,
                "options": _grade_options(name, row.original_grade, selected, DOMAIN_GRADES),
                "rationale": values(f"{name}-rationale"),
                "outcome": _outcome_label(row.original_grade, selected),
                "error": errors.get(name),
                "rationale_error": errors.get(f"{name}-rationale"),
            }
        )
    chosen = values("reasons")
    reasons = [
        {
            "id": "reasons" if index == 0 else f"reasons-{value}",
            "value": value,
            "label": label,
            "checked": value in chosen,
        }
        for index, (value, label) in enumerate(DowngradeReason.choices)
    ]
    return {
        "overall": overall,
        "domains": domains,
        "reasons": reasons,
        "reasons_error": errors.get("reasons"),
        "feedback": values("feedback"),
        "feedback_error": errors.get("feedback"),
    }


def _saved_values(review, screen) -> dict:
    """The review as saved, for read-only display and after a conflict."""
    return {
        "moderated_grade": review.moderated_grade,
        "rationale": review.rationale,
        "feedback": review.feedback,
        "outcome": _outcome_label(review.original_grade, review.moderated_grade),
        "domains": [
            {
                **entry,
                "moderated": entry["row"].moderated_grade,
                "outcome": _outcome_label(
                    entry["row"].original_grade, entry["row"].moderated_grade
                ),
            }
            for entry in screen["domains"]
        ],
        "reasons": [DowngradeReason(r).label for r in screen["reasons"]],
    }


def _blocks(screen, domains: list[dict]) -> list[dict]:
    """The audit's sections in template order, each domain section with its grading
    controls (or saved grades), then any graded domain the template no longer has."""
    by_domain = {d["row"].domain_id: d for d in domains}
    blocks = []
    for entry in screen["sections"]:
        domain = by_domain.pop(entry["domain"]["row"].domain_id) if entry["domain"] else None
        blocks.append(
            {"section": entry["section"], "questions": entry["questions"], "domain": domain}
        )
    blocks += [{"section": None, "questions": [], "domain": d} for d in by_domain.values()]
    return blocks


def _error_links(errors: dict, order: list[str]) -> list[tuple[str, str]]:
    """(anchor, message) in the order the fields appear on the page."""
    position = {name: index for index, name in enumerate(order)}
    keyed = sorted(errors.items(), key=lambda item: position.get(item[0], len(order)))
    return [(name, message) for name, message in keyed]


def _field_order(screen) -> list[str]:
    order = ["saved-elsewhere", "review-status"]
    for entry in screen["domains"]:
        order += [f"domain-{entry['row'].domain_id}", f"domain-{entry['row'].domain_id}-rationale"]
    return [*order, "moderated_grade", "rationale", "reasons", "feedback"]


def _render(
    request,
    review,
    *,
    form=None,
    errors=None,
    conflict=False,
    unlock_form=None,
    lock_version=None,
    status=200,
):
    user = request.user
    screen = selectors.review_screen(review)
    editable = user.has_perm("moderation.edit_review", review)
    errors = dict(errors or {})
    context = {
        "review": review,
        "audit": review.audit,
        "screen": screen,
        "editable": editable,
        "saved": _saved_values(review, screen),
        "conflict": conflict,
        "can_unlock": user.has_perm("moderation.unlock_review", review),
        "unlock_form": unlock_form or UnlockForm(),
        "events": list(review.events.select_related("user")[:10]),
        "is_qa_lead": is_qa_lead(user),
        "can_view_panel": review.panel is not None
        and user.has_perm("moderation.view_panel", review.panel),
    }
    if editable:
        if form is not None and form.is_bound:

            def values(name):
                return form.data.getlist(name) if name == "reasons" else form.data.get(name, "")

        else:
            initial = ReviewForm.initial_for(review, screen["domains"])
            initial["reasons"] = screen["reasons"]

            def values(name):
                return initial.get(name, "")

        fields = _fields(review, screen, values, errors)
        context.update(fields)
        context["lock_version"] = review.lock_version if lock_version is None else lock_version
        domains = fields["domains"]
    else:
        domains = context["saved"]["domains"]
    context["blocks"] = _blocks(screen, domains)
    error_links = _error_links(errors, _field_order(screen))
    if unlock_form is not None and unlock_form.errors:
        error_links += unlock_form.error_links()
    context["error_links"] = error_links
    return render(request, "moderation/review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    user = request.user
    review = get_review_for_user(user, pk)
    if request.method == "GET":
        audit_log_event(audit=review.audit, user=user, kind=AuditEventKind.VIEWED)
        return _render(request, review)
    if not user.has_perm("moderation.edit_review", review):
        if review.is_final and (review.moderator_id == user.pk or is_qa_lead(user)):
            return _render(request, review, errors={"review-status": REVIEW_FINAL})
        require(user, "moderation.edit_review", review)
    screen = selectors.review_screen(review)
    form = ReviewForm(request.POST, review=review, domains=screen["domains"])
    if not form.is_valid():
        errors = {name: errs[0] for name, errs in form.errors.items() if name != "lock_version"}
        if "lock_version" in form.errors:
            errors["saved-elsewhere"] = FORM_INCOMPLETE
        return _render(request, review, form=form, errors=errors)
    data = form.cleaned_data
    try:
        saved = review_save(
            review=review,
            user=user,
            moderated_grade=data["moderated_grade"],
            rationale=data["rationale"],
            feedback=data["feedback"],
            domain_grades=form.domain_grades(),
            reasons=data["reasons"],
            expected_version=data["lock_version"],
        )
    except ReviewConflictError:
        current = selectors.reviews_visible_to(user).get(pk=review.pk)
        return _render(
            request,
            current,
            form=form,
            errors={"saved-elsewhere": REVIEW_EDITED_ELSEWHERE},
            conflict=True,
            status=409,
        )
    except ValidationError as error:
        return _render(request, review, form=form, errors=_problems(error))
    reference = review.audit.child.case_reference
    if request.POST.get("action") != "done":
        messages.success(request, REVIEW_SAVED.format(reference=reference))
        return redirect("moderation:review", pk=review.pk)
    try:
        review_finalise(review=saved, user=user, expected_version=saved.lock_version)
    except ReviewConflictError:
        current = selectors.reviews_visible_to(user).get(pk=review.pk)
        return _render(
            request,
            current,
            form=form,
            errors={"saved-elsewhere": REVIEW_EDITED_ELSEWHERE},
            conflict=True,
            status=409,
        )
    except ValidationError as error:
        # The draft stays saved (nothing typed is lost); say so beside the problems.
        messages.warning(request, REVIEW_SAVED_NOT_DONE.format(reference=reference))
        current = selectors.reviews_visible_to(user).get(pk=review.pk)
        return _render(request, current, form=form, errors=_problems(error))
    messages.success(request, REVIEW_DONE.format(reference=reference))
    if review.panel_id and user.has_perm("moderation.view_panel", review.panel):
        return redirect("moderation:panel_detail", pk=review.panel_id)
    return redirect("moderation:review", pk=review.pk)


def _problems(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {field: messages_[0] for field, messages_ in error.message_dict.items()}
    return {"moderated_grade": error.messages[0]}


@login_required
@require_POST
def review_unlock_view(request, pk):
    user = request.user
    review = get_review_for_user(user, pk)
    require(user, "moderation.unlock_review", review)
    form = UnlockForm(request.POST)
    form.is_valid()
    try:
        review_unlock(review=review, user=user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            form.add_error("reason", message)
        return _render(request, review, unlock_form=form)
    messages.success(request, REVIEW_UNLOCKED.format(reference=review.audit.child.case_reference))
    return redirect("moderation:review", pk=review.pk)


@login_required
@require_GET
def feedback(request, pk):
    user = request.user
    review = get_review_for_user(user, pk, "moderation.view_feedback")
    audit_log_event(audit=review.audit, user=user, kind=AuditEventKind.VIEWED, note="Feedback")
    screen = selectors.review_screen(review)
    return render(
        request,
        "moderation/feedback.html",
        {"review": review, "audit": review.audit, "saved": _saved_values(review, screen)},
    )


@login_required
@require_GET
def my_feedback(request):
    require(request.user, "moderation.view_my_feedback")
    return render(
        request, "moderation/my_feedback.html", {"reviews": selectors.my_feedback(request.user)}
    )
