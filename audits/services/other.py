"""Recording the other audit types: dip samples, thematic and multi-agency audits, and
direct observations of practice. Each is one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User

from ..models import MultiAgencyAudit, PracticeObservation, SampleAudit


def _check_may_record(user: User) -> None:
    if not user.has_perm("audits.record_other_audits"):
        raise PermissionDenied


@transaction.atomic
def sample_audit_record(*, user: User, sample: SampleAudit) -> SampleAudit:
    """Record a dip sample or thematic audit. Only the QA Lead and Heads of Service record
    other audits; the form limits a Head of Service to their own service area."""
    _check_may_record(user)
    sample.created_by = user
    sample.save()
    return sample


@transaction.atomic
def multi_agency_audit_record(*, user: User, audit: MultiAgencyAudit) -> MultiAgencyAudit:
    """Record a multi-agency audit (council-wide)."""
    _check_may_record(user)
    audit.created_by = user
    audit.save()
    return audit


@transaction.atomic
def practice_observation_record(
    *, user: User, observation: PracticeObservation
) -> PracticeObservation:
    """Record a direct observation of a practitioner's practice."""
    _check_may_record(user)
    observation.created_by = user
    observation.save()
    return observation
