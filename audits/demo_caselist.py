"""The demo council's case list as the case management system extracts it: the Standard
Safeguarding Dataset's CSV files for the demo's children, which the demo then loads with
the case list sync, as a council does."""

from __future__ import annotations

import csv
import datetime
import os
import random
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from accounts.models import DepartmentTeam, Team, User

from .caselist import FILES
from .models import LegalStatus


@dataclass(frozen=True)
class DemoChild:
    reference: str
    team: Team
    legal_status: str
    date_of_birth: datetime.date
    worker: User | None
    sex: str
    ethnicity: str


def department(team: Team) -> str:
    """The demo's case management system names each team with its own suffix."""
    return f"{team.name} (LCS)"


def map_departments(teams) -> None:
    """The QA Lead's table of which team each department of the extract is."""
    DepartmentTeam.objects.bulk_create(
        [DepartmentTeam(department=department(team), team=team) for team in teams]
    )


class _Extract:
    """The rows of each file, in the SSD's column names (only those the sync reads, and
    each episode's id)."""

    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng = rng
        self.today = today
        self.rows: dict[str, list[dict]] = {name: [] for name in FILES}

    def add(self, name: str, **values) -> None:
        self.rows[name].append(values)

    def days_ago(self, low: int, high: int, not_before: datetime.date) -> datetime.date:
        day = self.today - datetime.timedelta(days=self.rng.randint(low, high))
        return max(day, not_before)

    def write(self, folder: Path) -> None:
        for name, columns in FILES.items():
            with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, columns, lineterminator="\r\n", restval="")
                writer.writeheader()
                for row in self.rows[name]:
                    writer.writerow({column: _text(row.get(column)) for column in columns})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _episodes(extract: _Extract, child: DemoChild) -> datetime.date:
    """The episodes that give the child their level of need, open today; returns the day
    their current involvement began."""
    person, dob = child.reference, child.date_of_birth
    status = child.legal_status
    if status == LegalStatus.CARE_LEAVER:
        extract.add("ssd_care_leavers", clea_person_id=person)
        return extract.days_ago(30, 700, dob)
    if status == LegalStatus.CHILD_IN_CARE:
        start = extract.days_ago(60, 1800, dob)
        extract.add("ssd_cla_episodes", clae_person_id=person, clae_cla_episode_start_date=start)
        return start
    if status == LegalStatus.EARLY_HELP:
        start = extract.days_ago(14, 400, dob)
        extract.add("ssd_early_help_episodes", earl_person_id=person, earl_episode_start_date=start)
        return start
    if status == LegalStatus.SUBJECT_TO_ASSESSMENT:
        referral = extract.days_ago(3, 40, dob)
        extract.add(
            "ssd_cin_episodes",
            cine_person_id=person,
            cine_referral_date=referral,
            cine_cin_primary_need="N1",
        )
        extract.add(
            "ssd_cin_assessments", cina_person_id=person, cina_assessment_start_date=referral
        )
        return referral
    referral = extract.days_ago(90, 1000, dob)
    need = "N2" if status == LegalStatus.DISABLED_CHILDREN else "N1"
    extract.add(
        "ssd_cin_episodes",
        cine_person_id=person,
        cine_referral_date=referral,
        cine_cin_primary_need=need,
    )
    extract.add(
        "ssd_cin_assessments",
        cina_person_id=person,
        cina_assessment_start_date=referral,
        cina_assessment_auth_date=referral + datetime.timedelta(days=extract.rng.randint(10, 45)),
    )
    if status == LegalStatus.CHILD_PROTECTION:
        plan = referral + datetime.timedelta(days=extract.rng.randint(20, 60))
        extract.add("ssd_cp_plans", cppl_person_id=person, cppl_cp_plan_start_date=plan)
    return referral


def write_extract(
    folder: Path, children: list[DemoChild], teams, workers, today: datetime.date, *, seed: str
) -> None:
    """The SSD extract for ``children`` (all open today), their workers and teams, plus
    people whose episodes have ended (closed cases, which the sync never creates)."""
    extract = _Extract(random.Random(seed), today)
    for worker in workers:
        extract.add(
            "ssd_professionals",
            prof_professional_id=f"PR{worker.staff_id}",
            prof_staff_id=worker.staff_id,
            prof_professional_name=worker.get_full_name(),
            prof_professional_job_title=worker.get_job_title_display(),
            prof_professional_department=department(worker.team),
        )
    # A team with nobody to allocate to holds its children on a duty worker's list.
    for team in teams:
        extract.add(
            "ssd_professionals",
            prof_professional_id=f"DUTY{team.pk}",
            prof_professional_name=f"Duty worker, {team.name}",
            prof_professional_job_title="Duty worker",
            prof_professional_department=department(team),
        )
    for child in children:
        extract.add(
            "ssd_person",
            pers_person_id=child.reference,
            pers_dob=child.date_of_birth,
            pers_sex=child.sex,
            pers_ethnicity=child.ethnicity,
        )
        start = _episodes(extract, child)
        extract.add(
            "ssd_involvements",
            invo_person_id=child.reference,
            invo_professional_id=(
                f"PR{child.worker.staff_id}" if child.worker else f"DUTY{child.team.pk}"
            ),
            invo_professional_team=department(child.team),
            invo_involvement_start_date=start,
        )
    _closed_people(extract, children, len(children) // 10)
    extract.write(folder)


def _closed_people(extract: _Extract, children: list[DemoChild], count: int) -> None:
    used = {child.reference for child in children}
    rng, today = extract.rng, extract.today
    while count:
        reference = f"NC{rng.randint(100000, 999999)}"
        if reference in used:
            continue
        used.add(reference)
        count -= 1
        dob = today - datetime.timedelta(days=rng.randint(400, 17 * 365))
        extract.add(
            "ssd_person",
            pers_person_id=reference,
            pers_dob=dob,
            pers_sex=rng.choice("FM"),
            pers_ethnicity="WBRI",
        )
        referral = extract.days_ago(200, 1500, dob)
        extract.add(
            "ssd_cin_episodes",
            cine_person_id=reference,
            cine_referral_date=referral,
            cine_close_date=min(referral + datetime.timedelta(days=rng.randint(30, 180)), today),
            cine_cin_primary_need="N1",
        )


def write_zip(folder: Path, path: Path) -> None:
    """The extract as the .zip the case list page takes, written whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".zip")
    os.close(handle)
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for csv_file in sorted(folder.glob("ssd_*.csv")):
            archive.write(csv_file, csv_file.name)
    os.replace(temporary, path)
