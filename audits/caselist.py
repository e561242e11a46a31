"""The case list kept in step with the case management system through the Standard
Safeguarding Dataset (SSD, data-to-insight's ``ssd-data-model``), from its CSV extracts.

Read from one folder: ``ssd_person.csv``, ``ssd_professionals.csv``,
``ssd_involvements.csv`` and the episodes that decide a child's level of need
(``ssd_early_help_episodes.csv``, ``ssd_cin_episodes.csv``, ``ssd_cin_assessments.csv``,
``ssd_cp_plans.csv``, ``ssd_cla_episodes.csv``, ``ssd_care_leavers.csv``). The rules:

- a child is open when an episode is open on the day (started, and not ended on or
  before it) or they are in ``ssd_care_leavers``; their level of need is the highest
  open one: in care, care leaver, child protection, subject to assessment (an
  assessment started and not yet authorised), disabled children (a child in need whose
  primary need is N2, the child's disability or illness), child in need, early help;
- their team and social worker are those of their open involvement that started last;
  the team is the department the involvement (or else the worker) names, through the
  departments the QA Lead maps to teams; the worker is the person whose staff ID is the
  professional's ``prof_staff_id`` (no account: no worker, counted in the summary);
- a child's case reference is ``pers_person_id``; only the date of birth, sex and
  ethnicity code are kept besides: no names;
- children open in the product and not open in the extract are closed, never deleted;
  a child never open is not created;
- every bad row is named (file, row, column, value, why) and then nothing changes; a
  run of the same extract changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import AccessKind, DepartmentTeam, Team, User
from accounts.services import link_change

from .models import Child, LegalStatus, Sex

SOURCE = "Case list"

#: file → the columns read from it (others are ignored)
FILES = {
    "ssd_person": ["pers_person_id", "pers_dob", "pers_sex", "pers_ethnicity"],
    "ssd_professionals": [
        "prof_professional_id",
        "prof_staff_id",
        "prof_professional_name",
        "prof_professional_job_title",
        "prof_professional_department",
    ],
    "ssd_involvements": [
        "invo_person_id",
        "invo_professional_id",
        "invo_professional_team",
        "invo_involvement_start_date",
        "invo_involvement_end_date",
    ],
    "ssd_early_help_episodes": [
        "earl_person_id",
        "earl_episode_start_date",
        "earl_episode_end_date",
    ],
    "ssd_cin_episodes": [
        "cine_person_id",
        "cine_referral_date",
        "cine_close_date",
        "cine_cin_primary_need",
    ],
    "ssd_cin_assessments": [
        "cina_person_id",
        "cina_assessment_start_date",
        "cina_assessment_auth_date",
    ],
    "ssd_cp_plans": ["cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date"],
    "ssd_cla_episodes": [
        "clae_person_id",
        "clae_cla_episode_start_date",
        "clae_cla_episode_ceased",
    ],
    "ssd_care_leavers": ["clea_person_id"],
}
#: episode file → (person, start, end, the level of need it gives)
EPISODES = [
    (
        "ssd_cla_episodes",
        "clae_person_id",
        "clae_cla_episode_start_date",
        "clae_cla_episode_ceased",
        LegalStatus.CHILD_IN_CARE,
    ),
    ("ssd_care_leavers", "clea_person_id", None, None, LegalStatus.CARE_LEAVER),
    (
        "ssd_cp_plans",
        "cppl_person_id",
        "cppl_cp_plan_start_date",
        "cppl_cp_plan_end_date",
        LegalStatus.CHILD_PROTECTION,
    ),
    (
        "ssd_cin_assessments",
        "cina_person_id",
        "cina_assessment_start_date",
        "cina_assessment_auth_date",
        LegalStatus.SUBJECT_TO_ASSESSMENT,
    ),
    (
        "ssd_cin_episodes",
        "cine_person_id",
        "cine_referral_date",
        "cine_close_date",
        LegalStatus.CHILD_IN_NEED,
    ),
    (
        "ssd_early_help_episodes",
        "earl_person_id",
        "earl_episode_start_date",
        "earl_episode_end_date",
        LegalStatus.EARLY_HELP,
    ),
]
#: the levels of need, highest first: a child's is the highest of their open episodes
NEED_ORDER = [
    LegalStatus.CHILD_IN_CARE,
    LegalStatus.CARE_LEAVER,
    LegalStatus.CHILD_PROTECTION,
    LegalStatus.SUBJECT_TO_ASSESSMENT,
    LegalStatus.DISABLED_CHILDREN,
    LegalStatus.CHILD_IN_NEED,
    LegalStatus.EARLY_HELP,
]
#: the CIN census's primary need N2 (the child's disability or illness) makes an open
#: child in need episode one of the disabled children
DISABILITY_NEED = "N2"

#: DfE ethnicity codes, by group
ETHNICITY_GROUPS = {
    "White": ["WBRI", "WIRI", "WOTH", "WIRT", "WROM"],
    "Mixed": ["MWBC", "MWBA", "MWAS", "MOTH"],
    "Asian or Asian British": ["AIND", "APKN", "ABAN", "AOTH"],
    "Black or Black British": ["BCRB", "BAFR", "BOTH"],
    "Chinese": ["CHNE"],
    "Any other ethnic group": ["OOTH"],
    "Not given": ["REFU", "NOBT"],
}
ETHNICITIES = {code: group for group, codes in ETHNICITY_GROUPS.items() for code in codes}
SEXES = {"F": Sex.FEMALE, "M": Sex.MALE, "U": Sex.UNKNOWN, "1": Sex.MALE, "2": Sex.FEMALE}

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_UK_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")

MISSING_FILE = "The folder has no {file}.csv: every SSD extract the case list reads is needed"
MISSING_COLUMNS = "Missing columns: {columns}"
EMPTY_FILE = "The file is empty: it needs a heading row"
DATE_WRONG = "Write dates as YYYY-MM-DD (a time after it is ignored) or DD/MM/YYYY"
PERSON_MISSING = "Every row needs a person id"
PERSON_REPEATED = "This person id is already on row {row}"
PROFESSIONAL_REPEATED = "This professional id is already on row {row}"
PROFESSIONAL_MISSING = "Every row needs a professional id"
PERSON_UNKNOWN = "No row of ssd_person has this person id"
WORKER_UNKNOWN = "No row of ssd_professionals has this professional id"
SEX_UNKNOWN = "Use F, M or U (or 1 for male, 2 for female)"
ETHNICITY_UNKNOWN = "Use a DfE ethnicity code, like WBRI or MWBC"
ENDS_BEFORE_START = "The end date is before the start date"
TEAM_UNMAPPED = (
    "No team is mapped to this department: add it under Case list departments in the admin"
)
NO_TEAM = (
    "This child is open but no open involvement gives them a team: add an involvement, or "
    "a department to the professional"
)
REFERENCE_TOO_LONG = "A person id can be at most 40 characters"
MASS_CLOSURE = (
    "This extract would close {closing} of the {open} open children: is it the whole "
    "caseload? If it is, confirm that it is, and run it again"
)
#: closing more than this share of the open children needs ``confirm_closures``
MASS_CLOSURE_SHARE = 0.2


@dataclass(frozen=True)
class RowError:
    file: str
    row: int
    column: str
    value: str
    message: str

    def __str__(self):
        where = f"{self.file}.csv" + (f", row {self.row}" if self.row else "")
        where += f", {self.column}" if self.column else ""
        value = f' "{self.value}"' if self.value else ""
        return f"{where}{value}: {self.message}"


@dataclass
class Summary:
    opened: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    moved_team: list[str] = field(default_factory=list)
    new_worker: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    workers_without_account: list[str] = field(default_factory=list)
    warning: str = ""

    @property
    def changed(self) -> bool:
        return bool(
            self.opened or self.closed or self.moved_team or self.new_worker or self.updated
        )

    def lines(self) -> list[str]:
        return [
            f"Opened: {len(self.opened)}",
            f"Closed: {len(self.closed)}",
            f"Moved team: {len(self.moved_team)}",
            f"New social worker: {len(self.new_worker)}",
            f"Other details changed: {len(self.updated)}",
            f"Unchanged: {self.unchanged}",
            f"Workers with no account here (staff IDs): {len(self.workers_without_account)}",
        ]


class CaseListError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problems in the case list")
        self.errors = errors


def parse_day(text: str) -> datetime.date | None:
    """A date as the extracts write it; None for an empty cell; ValueError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    if match := _DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _UK_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError(text)
    return datetime.date(year, month, day)


def _read(folder: Path, name: str, errors: list[RowError]) -> list[tuple[int, dict]]:
    path = folder / f"{name}.csv"
    if not path.is_file():
        errors.append(RowError(name, 0, "", "", MISSING_FILE.format(file=name)))
        return []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None:
            errors.append(RowError(name, 1, "", "", EMPTY_FILE))
            return []
        headings = {heading.strip().lower(): heading for heading in reader.fieldnames}
        missing = [column for column in FILES[name] if column not in headings]
        if missing:
            errors.append(
                RowError(
                    name,
                    1,
                    ", ".join(missing),
                    "",
                    MISSING_COLUMNS.format(columns=", ".join(missing)),
                )
            )
            return []
        return [
            (number, {column: (row.get(headings[column]) or "").strip() for column in FILES[name]})
            for number, row in enumerate(reader, start=2)
            if any((value or "").strip() for value in row.values() if isinstance(value, str))
        ]


@dataclass
class Person:
    reference: str
    dob: datetime.date | None
    sex: str
    ethnicity: str
    needs: set = field(default_factory=set)
    #: (start, row, professional, department, the column naming the department)
    involvements: list = field(default_factory=list)


def _date(file, number, row, column, errors) -> datetime.date | None:
    try:
        return parse_day(row[column])
    except ValueError:
        errors.append(RowError(file, number, column, row[column], DATE_WRONG))
        return None


def read_extract(folder: Path, today: datetime.date):
    """Every row checked: (people by id, professionals by id, departments), or
    CaseListError with every problem."""
    errors: list[RowError] = []
    rows = {name: _read(folder, name, errors) for name in FILES}
    if errors:
        raise CaseListError(errors)

    people: dict[str, Person] = {}
    first_row: dict[str, int] = {}
    for number, row in rows["ssd_person"]:
        reference = row["pers_person_id"]
        if not reference:
            errors.append(RowError("ssd_person", number, "pers_person_id", "", PERSON_MISSING))
            continue
        if len(reference) > 40:
            errors.append(
                RowError("ssd_person", number, "pers_person_id", reference, REFERENCE_TOO_LONG)
            )
            continue
        if reference in first_row:
            errors.append(
                RowError(
                    "ssd_person",
                    number,
                    "pers_person_id",
                    reference,
                    PERSON_REPEATED.format(row=first_row[reference]),
                )
            )
            continue
        first_row[reference] = number
        dob = _date("ssd_person", number, row, "pers_dob", errors)
        sex = row["pers_sex"].upper()
        if sex and sex not in SEXES:
            errors.append(RowError("ssd_person", number, "pers_sex", row["pers_sex"], SEX_UNKNOWN))
        ethnicity = row["pers_ethnicity"].upper()
        if ethnicity and ethnicity not in ETHNICITIES:
            errors.append(
                RowError(
                    "ssd_person", number, "pers_ethnicity", row["pers_ethnicity"], ETHNICITY_UNKNOWN
                )
            )
        people[reference] = Person(reference, dob, SEXES.get(sex, ""), ethnicity)

    professionals: dict[str, dict] = {}
    first_professional: dict[str, int] = {}
    for number, row in rows["ssd_professionals"]:
        key = row["prof_professional_id"]
        if not key:
            errors.append(
                RowError(
                    "ssd_professionals", number, "prof_professional_id", "", PROFESSIONAL_MISSING
                )
            )
        elif key in first_professional:
            errors.append(
                RowError(
                    "ssd_professionals",
                    number,
                    "prof_professional_id",
                    key,
                    PROFESSIONAL_REPEATED.format(row=first_professional[key]),
                )
            )
        else:
            first_professional[key] = number
            professionals[key] = {**row, "_row": number}

    for file, person_column, start_column, end_column, need in EPISODES:
        for number, row in rows[file]:
            person = people.get(row[person_column])
            if person is None:
                errors.append(
                    RowError(file, number, person_column, row[person_column], PERSON_UNKNOWN)
                )
                continue
            if start_column is None:
                person.needs.add(need)
                continue
            start = _date(file, number, row, start_column, errors)
            end = _date(file, number, row, end_column, errors)
            if start and end and end < start:
                errors.append(
                    RowError(file, number, end_column, row[end_column], ENDS_BEFORE_START)
                )
            elif start is not None and start <= today and (end is None or end > today):
                disabled = row.get("cine_cin_primary_need", "").upper() == DISABILITY_NEED
                person.needs.add(LegalStatus.DISABLED_CHILDREN if disabled else need)

    for number, row in rows["ssd_involvements"]:
        person = people.get(row["invo_person_id"])
        if person is None:
            errors.append(
                RowError(
                    "ssd_involvements",
                    number,
                    "invo_person_id",
                    row["invo_person_id"],
                    PERSON_UNKNOWN,
                )
            )
            continue
        professional = professionals.get(row["invo_professional_id"])
        if professional is None:
            errors.append(
                RowError(
                    "ssd_involvements",
                    number,
                    "invo_professional_id",
                    row["invo_professional_id"],
                    WORKER_UNKNOWN,
                )
            )
            continue
        start = _date("ssd_involvements", number, row, "invo_involvement_start_date", errors)
        end = _date("ssd_involvements", number, row, "invo_involvement_end_date", errors)
        if start and end and end < start:
            errors.append(
                RowError(
                    "ssd_involvements",
                    number,
                    "invo_involvement_end_date",
                    row["invo_involvement_end_date"],
                    ENDS_BEFORE_START,
                )
            )
        elif start is not None and start <= today and (end is None or end > today):
            department = (
                row["invo_professional_team"] or professional["prof_professional_department"]
            )
            column = (
                "invo_professional_team"
                if row["invo_professional_team"]
                else "prof_professional_department"
            )
            person.involvements.append((start, number, professional, department, column))
    if errors:
        raise CaseListError(errors)
    return people


def plan(folder: Path, *, today: datetime.date | None = None):
    """What the extract would change: [(child or None, reference, new values)] and the
    summary, or CaseListError naming every bad row. Reads, writes nothing."""
    today = today or timezone.localdate()
    people = read_extract(Path(folder), today)
    departments = dict(
        DepartmentTeam.objects.annotate(key=Lower("department")).values_list("key", "team")
    )
    teams = Team.objects.in_bulk(set(departments.values()))
    staff = {
        user.staff_id: user
        for user in User.objects.filter(is_active=True).exclude(staff_id=None).exclude(staff_id="")
    }
    errors: list[RowError] = []
    wanted: dict[str, dict] = {}
    without_account = set()
    for reference, person in people.items():
        if not person.needs:
            continue
        values = {
            "legal_status": min(person.needs, key=NEED_ORDER.index),
            "date_of_birth": person.dob,
            "sex": person.sex,
            "ethnicity": person.ethnicity,
            "is_open": True,
        }
        if person.involvements:
            _, number, professional, department, column = max(
                person.involvements, key=lambda item: (item[0], item[1])
            )
            team_id = departments.get(department.lower())
            if team_id is None:
                if column == "invo_professional_team":
                    where = ("ssd_involvements", number)
                else:
                    where = ("ssd_professionals", professional["_row"])
                errors.append(RowError(*where, column, department, TEAM_UNMAPPED))
                continue
            values["team"] = teams[team_id]
            staff_id = professional["prof_staff_id"]
            values["social_worker"] = staff.get(staff_id)
            if staff_id and staff_id not in staff:
                without_account.add(staff_id)
        else:
            # Open, but nobody is involved now: no social worker (their access to the
            # child's audits ends); the team stays the last one known.
            values["social_worker"] = None
        wanted[reference] = values
    children = {
        child.case_reference: child
        for child in Child.objects.select_related("team", "social_worker")
    }
    for reference, values in wanted.items():
        if "team" not in values and reference not in children:
            errors.append(RowError("ssd_person", 0, "pers_person_id", reference, NO_TEAM))
    if errors:
        raise CaseListError(errors)

    summary = Summary(workers_without_account=sorted(without_account))
    changes = []
    for reference, values in sorted(wanted.items()):
        child = children.get(reference)
        if child is None:
            summary.opened.append(reference)
            changes.append((None, reference, values))
            continue
        different = {name: value for name, value in values.items() if getattr(child, name) != value}
        if not different:
            summary.unchanged += 1
            continue
        if "is_open" in different:
            summary.opened.append(reference)
        if "team" in different:
            summary.moved_team.append(reference)
        if "social_worker" in different:
            summary.new_worker.append(reference)
        if set(different) - {"is_open", "team", "social_worker"}:
            summary.updated.append(reference)
        changes.append((child, reference, different))
    for reference, child in sorted(children.items()):
        if child.is_open and reference not in wanted:
            summary.closed.append(reference)
            changes.append((child, reference, {"is_open": False}))
    return changes, summary


def mass_closure(summary: Summary) -> str:
    """Why the extract looks like part of the caseload (it would close more than a fifth
    of the open children, and more than ten), or ""."""
    open_now = Child.objects.filter(is_open=True).count()
    closing = len(summary.closed)
    if closing > 10 and closing > MASS_CLOSURE_SHARE * open_now:
        return MASS_CLOSURE.format(closing=closing, open=open_now)
    return ""


def sync_case_list(
    folder,
    *,
    dry_run: bool = False,
    today: datetime.date | None = None,
    confirm_closures: bool = False,
) -> Summary:
    """Bring the case list in step with the extract in ``folder``: all or nothing. An
    extract that would close more than a fifth of the open children is refused unless
    ``confirm_closures`` (a partial extract would otherwise close everyone else)."""
    changes, summary = plan(folder, today=today)
    summary.warning = mass_closure(summary)
    if summary.warning and not dry_run and not confirm_closures:
        raise CaseListError([RowError("ssd_person", 0, "", "", summary.warning)])
    if dry_run or not changes:
        return summary
    with transaction.atomic():
        for child, reference, values in changes:
            before_worker = child.social_worker if child is not None else None
            if child is None:
                child = Child(case_reference=reference)
            for name, value in values.items():
                setattr(child, name, value)
            child._change_reason = SOURCE
            child.save()
            link_change(
                by=None,
                by_name=SOURCE,
                kind=AccessKind.SOCIAL_WORKER,
                subject=reference,
                field="social_worker",
                before=before_worker,
                after=child.social_worker,
            )
    return summary


NOT_A_ZIP = "Upload the extract as a .zip file of the SSD's CSV files"
ZIP_TOO_BIG = "The files in the .zip add up to more than {limit} MB: is it the right extract?"


def sync_case_list_zip(
    upload, *, dry_run: bool, limit_mb: int, today=None, confirm_closures: bool = False
) -> Summary:
    """The same sync from an uploaded .zip of the extract's CSV files (any folders inside
    are ignored: each ``ssd_*.csv`` is taken by its name). Refused with CaseListError
    naming the file when it is not a zip or unpacks to more than ``limit_mb``."""
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError):
        raise CaseListError([RowError("upload", 0, "", "", NOT_A_ZIP)]) from None
    with archive, tempfile.TemporaryDirectory() as folder:
        members = {
            Path(info.filename).name: info
            for info in archive.infolist()
            if not info.is_dir() and Path(info.filename).name.lower().startswith("ssd_")
        }
        if sum(info.file_size for info in members.values()) > limit_mb * 1024 * 1024:
            raise CaseListError([RowError("upload", 0, "", "", ZIP_TOO_BIG.format(limit=limit_mb))])
        for name, info in members.items():
            (Path(folder) / name.lower()).write_bytes(archive.read(info))
        return sync_case_list(
            folder, dry_run=dry_run, today=today, confirm_closures=confirm_closures
        )
