"""The demo council's children's case records."""

import datetime
import random

from accounts.models import JobTitle, User

from .models import Child, LegalStatus

# The legal statuses each service area works with, most common first.
STATUS_MIX = {
    "Front Door and Assessment": [
        (LegalStatus.SUBJECT_TO_ASSESSMENT, 6),
        (LegalStatus.CHILD_IN_NEED, 3),
        (LegalStatus.CHILD_PROTECTION, 1),
    ],
    "Safeguarding and Family Support": [
        (LegalStatus.CHILD_IN_NEED, 5),
        (LegalStatus.CHILD_PROTECTION, 5),
    ],
    "Children in Care": [(LegalStatus.CHILD_IN_CARE, 1)],
    "Leaving Care": [(LegalStatus.CARE_LEAVER, 1)],
    "Disabled Children": [
        (LegalStatus.DISABLED_CHILDREN, 7),
        (LegalStatus.CHILD_IN_NEED, 2),
        (LegalStatus.CHILD_IN_CARE, 1),
    ],
    "Early Help": [(LegalStatus.EARLY_HELP, 1)],
}


def _age_range(status):
    if status == LegalStatus.CARE_LEAVER:
        return 18, 21
    return 0, 17


def seed_children(rng: random.Random, teams, today: datetime.date, count: int = 2000):
    workers_by_team: dict[int, list[User]] = {}
    for worker in User.objects.filter(
        job_title__in=[JobTitle.SOCIAL_WORKER, JobTitle.ADVANCED_PRACTITIONER]
    ).order_by("pk"):
        workers_by_team.setdefault(worker.team_id, []).append(worker)
    references = rng.sample(range(100000, 999999), count)
    children = []
    for index, reference in enumerate(references):
        team = teams[index % len(teams)]
        statuses, weights = zip(*STATUS_MIX[team.service_area.name], strict=True)
        status = rng.choices(statuses, weights)[0]
        low, high = _age_range(status)
        age_days = rng.randint(low * 365 + 30, high * 365 + 300)
        workers = workers_by_team.get(team.pk) or [None]
        children.append(
            Child(
                case_reference=f"NC{reference}",
                team=team,
                legal_status=status,
                date_of_birth=today - datetime.timedelta(days=age_days),
                social_worker=rng.choice(workers),
            )
        )
    return Child.objects.bulk_create(children)
