"""The demo council's people and organisation, built deterministically from a seed."""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from common.history import record_objects

from .models import JobTitle, Role, ServiceArea, Team, User, UserRole

DEMO_DOMAIN = "northshire.example"
DEMO_PASSWORD = "Northshire-demo-2026"

SERVICE_AREAS = {
    "Front Door and Assessment": [
        "MASH",
        "Assessment Team 1",
        "Assessment Team 2",
        "Assessment Team 3",
        "Emergency Duty Team",
        "Child Sexual Exploitation and Missing",
    ],
    "Safeguarding and Family Support": [
        "Family Support North",
        "Family Support South",
        "Family Support East",
        "Family Support West",
        "Child Protection 1",
        "Child Protection 2",
        "Court and Pre-proceedings",
        "Edge of Care",
    ],
    "Children in Care": [
        "Children in Care 1",
        "Children in Care 2",
        "Children in Care 3",
        "Permanence",
        "Fostering Support",
        "Adoption",
        "Residential Homes",
        "Independent Reviewing Unit",
    ],
    "Leaving Care": [
        "Care Leavers 16 to 18",
        "Care Leavers 18 to 21",
        "Care Leavers 21 plus",
        "Unaccompanied Asylum-Seeking Children",
        "Staying Put and Housing",
    ],
    "Disabled Children": [
        "Disabled Children 0 to 11",
        "Disabled Children 12 to 18",
        "Short Breaks",
        "Transitions",
    ],
    "Early Help": [
        "Early Help Hub",
        "Family Hub North",
        "Family Hub South",
        "Family Hub East",
        "Family Hub West",
        "Youth Support",
        "Targeted Youth",
        "Parenting Support",
        "School Liaison",
    ],
}

FIRST_NAMES = [
    "Aisha",
    "Amir",
    "Anna",
    "Ben",
    "Bethan",
    "Chloe",
    "Daniel",
    "David",
    "Eleanor",
    "Emma",
    "Farah",
    "Gareth",
    "Grace",
    "Hannah",
    "Harpreet",
    "Imran",
    "Jack",
    "James",
    "Jasmine",
    "Joanne",
    "Karen",
    "Kwame",
    "Laura",
    "Leon",
    "Lucy",
    "Mark",
    "Mei",
    "Michael",
    "Nadia",
    "Natalie",
    "Oliver",
    "Olivia",
    "Paul",
    "Priya",
    "Rachel",
    "Ravi",
    "Rebecca",
    "Ryan",
    "Samira",
    "Sarah",
    "Sean",
    "Sophie",
    "Tariq",
    "Thomas",
    "Tom",
    "Victoria",
    "Wei",
    "Yusuf",
    "Zainab",
    "Zoe",
]
LAST_NAMES = [
    "Ahmed",
    "Ali",
    "Baker",
    "Begum",
    "Bennett",
    "Brown",
    "Campbell",
    "Chen",
    "Clarke",
    "Cooper",
    "Davies",
    "Edwards",
    "Evans",
    "Green",
    "Hall",
    "Harris",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Johnson",
    "Jones",
    "Kaur",
    "Khan",
    "King",
    "Lewis",
    "Martin",
    "Mensah",
    "Miller",
    "Mitchell",
    "Moore",
    "Morgan",
    "Murphy",
    "Nowak",
    "Okafor",
    "Patel",
    "Phillips",
    "Roberts",
    "Robinson",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]

# The known sign-in for each role (README: "Demo sign-ins").
DEMO_ACCOUNTS = [
    ("auditor", "Alex", "Auditor", JobTitle.ADVANCED_PRACTITIONER, [Role.AUDITOR]),
    ("moderator", "Morgan", "Moderator", JobTitle.SERVICE_MANAGER, [Role.MODERATOR, Role.AUDITOR]),
    ("team.manager", "Taylor", "Manager", JobTitle.TEAM_MANAGER, [Role.TEAM_MANAGER, Role.AUDITOR]),
    (
        "head.of.service",
        "Harper",
        "Head",
        JobTitle.HEAD_OF_SERVICE,
        [Role.HEAD_OF_SERVICE, Role.AUDITOR],
    ),
    ("qa.lead", "Quinn", "Lead", JobTitle.QA_LEAD, [Role.QA_LEAD]),
    ("leader", "Lee", "Director", JobTitle.DIRECTOR, [Role.LEADER, Role.AUDITOR]),
    ("ambassador", "Ash", "Ambassador", JobTitle.AMBASSADOR, [Role.AMBASSADOR]),
    ("admin", "Adrian", "Administrator", JobTitle.BUSINESS_SUPPORT, [Role.ADMINISTRATOR]),
    (
        "dpo",
        "Dana",
        "Protection",
        JobTitle.DATA_PROTECTION_OFFICER,
        [Role.DATA_PROTECTION_OFFICER],
    ),
]

#: what each demo sign-in is for, to try first (printed by ``make run``)
DEMO_FIRST_STEPS = {
    "auditor": "complete an audit allocated to you (My audits)",
    "moderator": "review the audits given to you for this month's panel (Moderation)",
    "team.manager": "update the actions your team's audits raised (Actions)",
    "head.of.service": "update a Case of Concern and read your service's figures",
    "qa.lead": "accept submitted audits, chair the panel, plan next month (My work)",
    "leader": "read the dashboard, then download a quarterly report (Reports)",
    "ambassador": "review this month's sample of audits (My work)",
    "admin": "manage people, teams and roles (Organisation, Administration)",
    "dpo": "find a child's records and answer a subject access request (Records)",
}

AUDITING_TITLES = {
    JobTitle.DIRECTOR,
    JobTitle.ASSISTANT_DIRECTOR,
    JobTitle.HEAD_OF_SERVICE,
    JobTitle.SERVICE_MANAGER,
    JobTitle.TEAM_MANAGER,
    JobTitle.ADVANCED_PRACTITIONER,
    JobTitle.IRO,
    JobTitle.CP_CHAIR,
}


@dataclass
class Organisation:
    service_areas: list[ServiceArea]
    teams: list[Team]
    users: list[User]
    demo_users: dict[str, User]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def seed_organisation(rng: random.Random, staff_count: int = 300) -> Organisation:
    password = make_password(DEMO_PASSWORD)
    used_emails: set[str] = set()
    users: list[User] = []

    def person(title, team=None, line_manager=None, local=None, first=None, last=None):
        first = first or rng.choice(FIRST_NAMES)
        last = last or rng.choice(LAST_NAMES)
        base = local or f"{first}.{last}".lower()
        email, n = demo_email(base), 1
        while email in used_emails:
            n += 1
            email = demo_email(f"{base}{n}")
        used_emails.add(email)
        user = User.objects.create(
            email=email,
            first_name=first,
            last_name=last,
            job_title=title,
            team=team,
            line_manager=line_manager,
            password=password,
            is_part_time=title != JobTitle.DIRECTOR and rng.random() < 0.08,
        )
        users.append(user)
        return user

    director = person(JobTitle.DIRECTOR, local="leader", first="Lee", last="Director")
    assistant_directors = [
        person(JobTitle.ASSISTANT_DIRECTOR, line_manager=director) for _ in range(3)
    ]

    service_areas, teams = [], []
    for index, (area_name, team_names) in enumerate(SERVICE_AREAS.items()):
        ad = assistant_directors[index % len(assistant_directors)]
        if index == 1:
            hos = person(
                JobTitle.HEAD_OF_SERVICE,
                line_manager=ad,
                local="head.of.service",
                first="Harper",
                last="Head",
            )
        else:
            hos = person(JobTitle.HEAD_OF_SERVICE, line_manager=ad)
        area = ServiceArea.objects.create(name=area_name, head_of_service=hos)
        service_areas.append(area)
        managers = [person(JobTitle.SERVICE_MANAGER, line_manager=hos) for _ in range(2)]
        for t_index, team_name in enumerate(team_names):
            team = Team.objects.create(name=team_name, service_area=area)
            teams.append(team)
            sm = managers[t_index % 2]
            if index == 1 and t_index == 0:
                tm = person(
                    JobTitle.TEAM_MANAGER,
                    team=team,
                    line_manager=sm,
                    local="team.manager",
                    first="Taylor",
                    last="Manager",
                )
            else:
                tm = person(JobTitle.TEAM_MANAGER, team=team, line_manager=sm)
            team.manager = tm
            team.save(update_fields=["manager"])
            if index == 1 and t_index == 1:
                person(
                    JobTitle.ADVANCED_PRACTITIONER,
                    team=team,
                    line_manager=tm,
                    local="auditor",
                    first="Alex",
                    last="Auditor",
                )
        for sm in managers:
            sm.team = teams[-1]
            sm.save(update_fields=["team"])
        hos.team = teams[-len(team_names)]
        hos.save(update_fields=["team"])

    iru = next(t for t in teams if t.name == "Independent Reviewing Unit")
    # The named demo moderator is a Service Manager in Children in Care.
    person(
        JobTitle.SERVICE_MANAGER,
        team=teams[_first_team_index("Children in Care")],
        line_manager=service_areas[2].head_of_service,
        local="moderator",
        first="Morgan",
        last="Moderator",
    )
    qa_lead = person(
        JobTitle.QA_LEAD,
        team=None,
        line_manager=assistant_directors[0],
        local="qa.lead",
        first="Quinn",
        last="Lead",
    )
    person(JobTitle.PRINCIPAL_SOCIAL_WORKER, line_manager=assistant_directors[0])
    person(
        JobTitle.BUSINESS_SUPPORT,
        line_manager=qa_lead,
        local="admin",
        first="Adrian",
        last="Administrator",
    )
    for _ in range(12):
        person(JobTitle.IRO, team=iru, line_manager=iru.manager)
    for _ in range(6):
        person(JobTitle.CP_CHAIR, team=iru, line_manager=iru.manager)
    person(
        JobTitle.AMBASSADOR,
        line_manager=qa_lead,
        local="ambassador",
        first="Ash",
        last="Ambassador",
    )
    for _ in range(4):
        person(JobTitle.AMBASSADOR, line_manager=qa_lead)
    for team in teams:
        person(JobTitle.ADVANCED_PRACTITIONER, team=team, line_manager=team.manager)
    for _ in range(20):
        team = rng.choice(teams)
        person(JobTitle.BUSINESS_SUPPORT, team=team, line_manager=team.manager)
    while len(users) < staff_count:
        team = rng.choice(teams)
        person(JobTitle.SOCIAL_WORKER, team=team, line_manager=team.manager)

    # Staff IDs as the case management system gives them (the case list's prof_staff_id);
    # the Ambassadors are not staff.
    staff = [user for user in users if user.job_title != JobTitle.AMBASSADOR]
    for number, user in enumerate(staff, start=1):
        user.staff_id = f"S{number:04d}"
    User.objects.bulk_update(staff, ["staff_id"])

    # The Data Protection Officer is not one of the social care staff the demo draws on.
    dpo = User.objects.create(
        email=demo_email("dpo"),
        first_name="Dana",
        last_name="Protection",
        job_title=JobTitle.DATA_PROTECTION_OFFICER,
        line_manager=assistant_directors[0],
        password=password,
    )
    demo_users = {local: User.objects.get(email=demo_email(local)) for local, *_ in DEMO_ACCOUNTS}
    _assign_roles(rng, [*users, dpo], demo_users)
    return Organisation(service_areas, teams, users, demo_users)


def _first_team_index(area_name: str) -> int:
    """Index of the first team of a service area in creation order."""
    offset = 0
    for name, team_names in SERVICE_AREAS.items():
        if name == area_name:
            return offset
        offset += len(team_names)
    raise KeyError(area_name)


def _assign_roles(rng, users, demo_users):
    demo_ids = {u.pk: roles for (local, *_, roles) in DEMO_ACCOUNTS for u in [demo_users[local]]}
    assignments = []
    for user in users:
        if user.pk in demo_ids:
            roles = set(demo_ids[user.pk])
        else:
            roles = set()
            if user.job_title in AUDITING_TITLES:
                roles.add(Role.AUDITOR)
            if user.job_title == JobTitle.TEAM_MANAGER:
                roles.add(Role.TEAM_MANAGER)
            if user.job_title == JobTitle.HEAD_OF_SERVICE:
                roles.add(Role.HEAD_OF_SERVICE)
            if user.job_title in (JobTitle.DIRECTOR, JobTitle.ASSISTANT_DIRECTOR):
                roles.add(Role.LEADER)
            if user.job_title == JobTitle.PRINCIPAL_SOCIAL_WORKER:
                roles.add(Role.QA_LEAD)
            if user.job_title == JobTitle.AMBASSADOR:
                roles.add(Role.AMBASSADOR)
            if user.job_title in (JobTitle.SERVICE_MANAGER, JobTitle.IRO) or (
                user.job_title in (JobTitle.TEAM_MANAGER, JobTitle.ADVANCED_PRACTITIONER)
                and rng.random() < 0.2
            ):
                roles.add(Role.MODERATOR)
        assignments.extend(UserRole(user=user, role=role) for role in sorted(roles))
    UserRole.objects.bulk_create(assignments)
    record_objects(UserRole, assignments, change="+")
