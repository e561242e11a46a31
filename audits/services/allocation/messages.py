"""Messages of the allocation services, as constants the tests assert on."""

MONTH_IN_PAST = "{month} has passed: choose this month or a later one"
ROUND_PUBLISHED = (
    "The allocation for {month} has already been published: change its audits one by one, "
    "or allocate more children ad hoc"
)
DRAFT_EXISTS = (
    "There is already a draft allocation for {month}: open it to adjust it, or tick "
    "“Replace the draft” to propose it again"
)
BOTH_BASES = "Choose a number of audits for each team or a total, not both"
NUMBER_TOO_SMALL = "Enter a number of audits of 1 or more"
NO_TEMPLATE = "There is no active audit template: make a template active first"
TEMPLATE_INACTIVE = "{template} is not offered for new audits: choose an active template"
ROUND_NOT_DRAFT = "The allocation for {month} has been published and can no longer be adjusted"
NOT_PROPOSED = "This audit is no longer a proposal and cannot be changed here"
ENTER_REFERENCE = "Enter the child’s case reference"
UNKNOWN_REFERENCE = "{reference} is not a known case reference"
CHILD_OTHER_TEAM = "{reference} is in {child_team}, not {team}: choose a child of {team}"
CASE_CLOSED = "{reference} is a closed case: choose an open case"
SAME_CHILD = "{reference} is already the child in this audit"
ALREADY_IN_ROUND = "{reference} is already in this allocation"
AUDITED_RECENTLY = (
    "{reference} has an audit in {months}, within {n} months of {month}: choose another child"
)
AUDITOR_IS_SOCIAL_WORKER = (
    "{auditor} is the allocated social worker for {reference}: choose another auditor"
)
AUDITOR_NOT_AVAILABLE = "{auditor} is not an active auditor: choose another auditor"
AUDITOR_EXEMPT = "{auditor} is exempt from audits in {month}: choose another auditor"
CHOOSE_AUDITOR = "Choose an auditor"
SAME_TEAM_WARNING = (
    "{auditor} works in {team}, the child’s team: choose an auditor from another team if you can"
)
PUBLISH_NEEDS_AUDITORS = "Choose an auditor for {references} before publishing"
PUBLISH_SOCIAL_WORKER = (
    "{auditor} is the allocated social worker for {reference}: choose another auditor "
    "before publishing"
)
PUBLISH_EMPTY = "There are no audits in this allocation to publish"
ALREADY_PUBLISHED = "The allocation for {month} has already been published"

TEAM_SHORT = "{team} has only {count} {children} who {have} not been audited in the last {n} months"
TEAM_NONE = "{team} has no child who has not been audited in the last {n} months"
TOTAL_SHORT = (
    "Only {proposed} of {total} audits could be proposed: there are not enough open cases "
    "that have not been audited in the last {n} months"
)
NO_AUDITORS = (
    "No auditor is available in {month}: everyone with the Auditor role is exempt or "
    "inactive. Choose an auditor for each audit before publishing."
)
CHILD_WITHOUT_AUDITOR = "No auditor could be found for {reference}: choose one before publishing"
OWN_TEAM_ONLY = (
    "{reference} is proposed for {auditor}, who works in {team}, because no auditor from "
    "another team was available"
)

ADHOC_NO_REFERENCES = "Enter the case references of the children to audit"
ADHOC_DUE_PAST = "The due date must be today or in the future"
ADHOC_DUE_BEFORE_MONTH = "The due date must be in or after the audit's month"
ADHOC_MONTH_TOO_FAR = "{month} is more than {n} months ahead: choose {last} or an earlier month"
ADHOC_NO_REASON = "Enter the reason for allocating these audits"
ADHOC_REASON_TOO_LONG = "The reason must be {n} characters or fewer"
ADHOC_RECENT = "{reference} has an audit in {months}, within {n} months of this one"
ADHOC_CLOSED = "{reference} is a closed case"
ADHOC_NO_AUDITOR = "No auditor is available for {reference}: choose an auditor"
ADHOC_CHOOSE_TEMPLATE = "Choose the audit template"
