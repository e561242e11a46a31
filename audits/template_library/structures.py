"""The standard audit templates: sections and questions.

Each template has a general first section, then one section per domain. The family
keys ("child-journey-audit", "case-file-audit", "leaving-care-audit") are stable:
other parts of the service and councils' integrations look templates up by them.
"""

from dataclasses import dataclass, field

from ..models import QuestionKind
from .help import QUESTION_HELP

YES_NO = QuestionKind.YES_NO
LONG_TEXT = QuestionKind.LONG_TEXT
NUMBER = QuestionKind.NUMBER
SINGLE = QuestionKind.SINGLE_CHOICE
MULTIPLE = QuestionKind.MULTIPLE_CHOICE


@dataclass(frozen=True)
class QuestionSpec:
    text: str
    kind: str = YES_NO
    required: bool = True
    needs_comment: bool = True
    help_text: str = ""
    choices: tuple[str, ...] = ()

    def __post_init__(self):
        # Every standard question has help: its own, or the library's for its text.
        if not self.help_text:
            object.__setattr__(self, "help_text", QUESTION_HELP.get(self.text, ""))


@dataclass(frozen=True)
class SectionSpec:
    title: str
    domain: str | None = None
    guidance: str = ""
    questions: tuple[QuestionSpec, ...] = ()


@dataclass(frozen=True)
class TemplateSpec:
    family: str
    name: str
    description: str
    sections: tuple[SectionSpec, ...] = field(default_factory=tuple)

    @property
    def domain_names(self) -> list[str]:
        return [s.domain for s in self.sections if s.domain]


CHILD_JOURNEY_AUDIT = "child-journey-audit"
CASE_FILE_AUDIT = "case-file-audit"
LEAVING_CARE_AUDIT = "leaving-care-audit"

LEVELS_OF_NEED = (
    "Early Help",
    "Child in Need",
    "Child Protection",
    "Child in Care",
    "Care Leaver",
    "Disabled Children",
    "Subject to assessment",
)

ASSESSMENT_TOOLS = (
    "Genogram",
    "Chronology",
    "Impact chronology",
    "Ecomap",
    "Graded Care Profile 2",
    "Signs of Safety mapping",
    "Direct work tools (for example three houses or wishes and feelings)",
    "Theory and research",
)

_VOICE_EVIDENT = QuestionSpec(
    "Was the child's voice evident throughout the record?",
    help_text="Their wishes, feelings and experiences, in their words or through observation.",
)

CHILD_JOURNEY = TemplateSpec(
    family=CHILD_JOURNEY_AUDIT,
    name="Child Journey Audit",
    description="The monthly audit of one child's journey through our services, across the "
    "five priority areas: visits, assessments, supervision, plans and planning, and "
    "meetings and reviews.",
    sections=(
        SectionSpec(
            "The child's journey",
            guidance="Read the last 12 months of the record, or since the case opened if "
            "sooner. Speak to the social worker, and to the child and their parents or "
            "carers where you can. Write for the child: would they recognise themselves?",
            questions=(
                QuestionSpec(
                    "Summary of the child's journey so far",
                    LONG_TEXT,
                    help_text="Why we became involved, the key events and decisions, and "
                    "where things are now.",
                ),
                QuestionSpec(
                    "What is life like for this child?",
                    LONG_TEXT,
                    help_text="A day in their life: home, school, relationships, what "
                    "worries them and what makes them happy.",
                ),
                _VOICE_EVIDENT,
                QuestionSpec(
                    "The child's level of need at the time of the audit",
                    SINGLE,
                    choices=LEVELS_OF_NEED,
                ),
                QuestionSpec(
                    "How many social workers has the child had in the last 12 months?",
                    NUMBER,
                    help_text="Count each allocated social worker, including the current one.",
                ),
            ),
        ),
        SectionSpec(
            "Visits",
            domain="Visits",
            guidance="Look at the visits in the last six months against the timescales for "
            "the child's plan.",
            questions=(
                QuestionSpec("Are visits within statutory timescales?"),
                QuestionSpec(
                    "Are visits purposeful, with a clear link to the child's plan?",
                ),
                QuestionSpec("Was the child seen alone?"),
                QuestionSpec(
                    "Is there direct work, or for babies and non-verbal children detailed "
                    "observation, to understand the child's wishes and feelings?",
                ),
                QuestionSpec(
                    "Are visit records written to the child?",
                    needs_comment=False,
                    help_text="Written so the child could read and understand them later.",
                ),
            ),
        ),
        SectionSpec(
            "Assessments",
            domain="Assessments",
            questions=(
                QuestionSpec(
                    "Is the assessment up to date, completed within timescales and updated "
                    "in the last 12 months?",
                ),
                QuestionSpec(
                    "Is the assessment comprehensive and analytical, with historical context "
                    "and an analysis of risk and protective factors?",
                ),
                QuestionSpec("Is the child's voice evident in the assessment?"),
                QuestionSpec(
                    "Are the parents' views included, including the father's?",
                ),
                QuestionSpec(
                    "Which tools were used in the assessment?",
                    MULTIPLE,
                    required=False,
                    choices=ASSESSMENT_TOOLS,
                ),
            ),
        ),
        SectionSpec(
            "Supervision",
            domain="Supervision",
            questions=(
                QuestionSpec(
                    "Is case supervision regular, in line with the supervision policy?",
                ),
                QuestionSpec(
                    "Is supervision reflective, with hypotheses and challenge as well as tasks?",
                ),
                QuestionSpec(
                    "Does supervision advance the child's plan, with clear actions and timescales?",
                ),
                QuestionSpec("Are actions from previous supervision followed up?"),
            ),
        ),
        SectionSpec(
            "Plans & Planning",
            domain="Plans & Planning",
            questions=(
                QuestionSpec("Is the child's plan up to date?"),
                QuestionSpec(
                    "Is the plan SMART: specific, measurable, achievable, relevant and time-bound?",
                ),
                QuestionSpec("Were the parents involved in making the plan?"),
                QuestionSpec("Does the plan meet the needs identified in the assessment?"),
                QuestionSpec(
                    "Has the plan been shared with the child, in a way they understand?",
                ),
            ),
        ),
        SectionSpec(
            "Meetings & Reviews",
            domain="Meetings & Reviews",
            questions=(
                QuestionSpec("Are meetings and reviews held within timescales?"),
                QuestionSpec("Do reviews identify drift and delay, and act on it?"),
                QuestionSpec(
                    "Is there consistent interagency working, with partners attending and "
                    "contributing?",
                ),
                QuestionSpec(
                    "Is there clear scrutiny from the IRO or CP Chair?",
                    help_text="Their footprint on the record between meetings, and any "
                    "challenge or escalation.",
                ),
            ),
        ),
    ),
)

CASE_FILE = TemplateSpec(
    family=CASE_FILE_AUDIT,
    name="Case File Audit",
    description="A case file audit across seven domains, including decision making and the "
    "impact of diversity, for councils that audit this way.",
    sections=(
        SectionSpec(
            "About the case",
            guidance="Read the record since the case opened or for the last 12 months, and "
            "speak to the social worker and family where you can.",
            questions=(
                QuestionSpec(
                    "Summary of the child's circumstances and our involvement",
                    LONG_TEXT,
                ),
                QuestionSpec(
                    "The child's level of need at the time of the audit",
                    SINGLE,
                    choices=LEVELS_OF_NEED,
                ),
                QuestionSpec(
                    "How many social workers has the child had in the last 12 months?",
                    NUMBER,
                ),
            ),
        ),
        SectionSpec(
            "Seeing and hearing the child",
            domain="Seeing and hearing the child",
            questions=(
                QuestionSpec("Has the child been seen within timescales, and seen alone?"),
                QuestionSpec(
                    "Is there direct work or observation that shows the child's lived experience?",
                ),
                QuestionSpec("Have the child's views influenced decisions about them?"),
            ),
        ),
        SectionSpec(
            "Quality of assessment",
            domain="Quality of assessment",
            questions=(
                QuestionSpec("Is the assessment up to date and completed within timescales?"),
                QuestionSpec("Does the assessment analyse risk and protective factors?"),
                QuestionSpec("Are the views of the child, both parents and partners included?"),
                QuestionSpec(
                    "Which tools were used in the assessment?",
                    MULTIPLE,
                    required=False,
                    choices=ASSESSMENT_TOOLS,
                ),
            ),
        ),
        SectionSpec(
            "Quality of plans",
            domain="Quality of plans",
            questions=(
                QuestionSpec("Is the plan up to date and SMART?"),
                QuestionSpec("Did the child and family help to make the plan?"),
                QuestionSpec("Is there a contingency or permanence plan where needed?"),
            ),
        ),
        SectionSpec(
            "Decision making and management oversight",
            domain="Decision making and management oversight",
            questions=(
                QuestionSpec("Are key decisions timely, with the reasons recorded?"),
                QuestionSpec("Is management oversight evident at key points?"),
                QuestionSpec(
                    "Have thresholds been applied appropriately, including escalation "
                    "where needed?",
                ),
            ),
        ),
        SectionSpec(
            "Meetings and reviews",
            domain="Meetings and reviews",
            questions=(
                QuestionSpec(
                    "Are strategy discussions, conferences, core groups and reviews held "
                    "within timescales?",
                ),
                QuestionSpec("Do the right agencies attend and contribute?"),
                QuestionSpec("Is independent scrutiny from the IRO or CP Chair evident?"),
            ),
        ),
        SectionSpec(
            "Supervision",
            domain="Supervision",
            questions=(
                QuestionSpec("Is supervision regular, in line with the supervision policy?"),
                QuestionSpec("Is supervision reflective, and does it progress the plan?"),
                QuestionSpec("Are actions from previous supervision followed up?"),
            ),
        ),
        SectionSpec(
            "Consideration of the impact of diversity",
            domain="Consideration of the impact of diversity",
            questions=(
                QuestionSpec(
                    "Are the child's ethnicity, culture, religion, language and any "
                    "disability recorded and understood?",
                ),
                QuestionSpec(
                    "Has the impact of the child's identity on their experience and needs "
                    "been considered in assessment and planning?",
                ),
                QuestionSpec(
                    "Were interpreters or reasonable adjustments used where needed?",
                    required=False,
                ),
            ),
        ),
    ),
)

ACCOMMODATION_TYPES = (
    "Staying put with former foster carers",
    "Staying close",
    "Supported accommodation",
    "Semi-independent accommodation",
    "Independent tenancy",
    "Living with family or friends",
    "Higher education accommodation",
    "Custody",
    "Other",
)

LEAVING_CARE = TemplateSpec(
    family=LEAVING_CARE_AUDIT,
    name="Leaving Care Audit",
    description="The Child Journey Audit for care leavers, with guidance for auditors who "
    "do not work in leaving care: pathway planning, accommodation, education, employment "
    "and training, health, and relationships.",
    sections=(
        SectionSpec(
            "The young person's journey",
            guidance="Care leavers are supported by a personal adviser and a pathway plan, "
            "not a social worker and a care plan: judge the work against leaving care "
            "duties and timescales. Speak to the young person where you can.",
            questions=(
                QuestionSpec(
                    "Summary of the young person's journey so far",
                    LONG_TEXT,
                    help_text="Their time in care, when they left, and where things are now.",
                ),
                QuestionSpec(
                    "What is life like for this young person now?",
                    LONG_TEXT,
                ),
                QuestionSpec("Was the young person's voice evident throughout the record?"),
                QuestionSpec(
                    "How many personal advisers has the young person had in the last 12 months?",
                    NUMBER,
                ),
            ),
        ),
        SectionSpec(
            "Pathway planning",
            domain="Pathway planning",
            questions=(
                QuestionSpec(
                    "Is there a pathway plan reviewed in the last six months?",
                ),
                QuestionSpec("Was the pathway plan written with the young person?"),
                QuestionSpec(
                    "Is the personal adviser in touch at least as often as required?",
                    help_text="At least every eight weeks, and more often when needed.",
                ),
            ),
        ),
        SectionSpec(
            "Accommodation and staying put",
            domain="Accommodation and staying put",
            questions=(
                QuestionSpec(
                    "Where does the young person live?",
                    SINGLE,
                    choices=ACCOMMODATION_TYPES,
                ),
                QuestionSpec("Is the accommodation safe and suitable for the young person?"),
                QuestionSpec("Were staying put or staying close considered?"),
                QuestionSpec("Is the young person supported to develop independence skills?"),
            ),
        ),
        SectionSpec(
            "Education, employment and training",
            domain="Education, employment and training",
            questions=(
                QuestionSpec("Is the young person in education, employment or training?"),
                QuestionSpec(
                    "Is there an active plan for education, employment or training, using "
                    "entitlements such as the bursary?",
                ),
                QuestionSpec(
                    "Have apprenticeships and higher education been explored with them?",
                    required=False,
                ),
            ),
        ),
        SectionSpec(
            "Health and wellbeing",
            domain="Health and wellbeing",
            questions=(
                QuestionSpec("Does the young person have their health history?"),
                QuestionSpec("Are they registered with a GP and a dentist?"),
                QuestionSpec("Are emotional and mental health needs identified and met?"),
            ),
        ),
        SectionSpec(
            "Relationships and the young person's voice",
            domain="Relationships and the young person's voice",
            questions=(
                QuestionSpec(
                    "Are important relationships, with family, brothers and sisters and "
                    "former carers, supported?",
                ),
                QuestionSpec("Do the young person's views influence their plan?"),
                QuestionSpec(
                    "Does the young person know their entitlements under the local offer?",
                ),
            ),
        ),
    ),
)

STANDARD_TEMPLATES = (CHILD_JOURNEY, CASE_FILE, LEAVING_CARE)
