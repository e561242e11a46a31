"""Every message the import gives, as constants the tests and the documentation use.

Row messages say why a value was refused and what to write instead; the row, column
and value are reported beside them.
"""

# The file -----------------------------------------------------------------------------

FILE_TYPE = "The file must be a CSV or an Excel .xlsx file"
FILE_EMPTY = "The file is empty"
FILE_NO_HEADINGS = "Row 1 must hold the column headings, such as audit_ref and team"
FILE_NO_ROWS = "The file has a heading row but no audits below it"
FILE_NOT_XLSX = (
    "The file could not be opened as an Excel workbook. Save it from Excel as "
    "'Excel Workbook (.xlsx)' or 'CSV UTF-8 (Comma delimited)' and try again"
)
FILE_NOT_TEXT = (
    "The file could not be read as text. Save it from Excel as "
    "'CSV UTF-8 (Comma delimited)' and try again"
)
FILE_NOT_CSV = "The file could not be read as CSV: {problem}"
NOTE_CP1252 = (
    "The file is not UTF-8, so it was read as Windows-1252 (Excel's older "
    "'CSV (Comma delimited)' format). Check that names with accents came through "
    "correctly; next time save it as 'CSV UTF-8 (Comma delimited)'."
)
NO_TEMPLATE = (
    "There is no active audit template: an administrator can make one active under "
    "Audit templates in the admin"
)
UNEXPECTED = (
    "The import stopped because of an unexpected problem and nothing was imported. "
    "Try again; if it happens again, tell the system administrator."
)

#: the end of each message about a name that does not exist yet: the upload page's
#: "Create missing teams, areas, domains and people" box (the command's
#: --create-missing) creates it instead
OR_CREATE_MISSING = "or choose to create missing teams, areas, domains and people"

# Headings (reported on row 1) ----------------------------------------------------------

MISSING_COLUMNS = "Missing required columns: {columns}"
UNKNOWN_COLUMNS = (
    "Unknown columns: {columns}. Check the spelling against the import format; domain "
    "grades go in columns named 'domain: <domain name>'"
)
DUPLICATE_COLUMN = "This column appears more than once (columns {letters})"
NO_HEADING = "This column has values but no heading"
EVIDENCE_WITHOUT_DOMAIN = "There is no 'domain: {name}' column for this evidence"
UNKNOWN_DOMAIN = f"There is no domain called '{{name}}'. Check the spelling, {OR_CREATE_MISSING}"
DOMAIN_HEADING_EMPTY = "Name the domain after 'domain:', for example 'domain: Visits'"
NAME_TOO_LONG = "This is longer than {limit} characters"

# Rows ----------------------------------------------------------------------------------

TOO_MANY_VALUES = "This row has a value in a column with no heading"
MODERATED_OVERALL_MISSING = (
    "Enter the moderated overall grade, or leave every moderation column of this row empty"
)
MODERATED_DOMAIN_WITHOUT_GRADE = (
    "There is no 'domain:' column for this domain, so there is no grade to moderate"
)
MODERATED_BEFORE_COMPLETED = "The moderation date is before the audit was completed"
MODERATOR_INVALID = (
    "Enter the moderator's email address in the correct format, like name@example.gov.uk"
)

AUDIT_REF_MISSING = "Enter the audit's reference (audit_ref)"
AUDIT_REF_DUPLICATE = "This audit_ref is already used on row {row}: each audit can appear only once"
AUDIT_REF_NOT_IMPORTED = (
    "An audit with this reference was done in this system, not imported: an import cannot change it"
)
AUDIT_TYPE_UNKNOWN = (
    "Use Child Journey Audit (or CJA, or Case file audit) or Re-audit (or Reaudit); "
    "leave it blank for a Child Journey Audit"
)
CHILD_REF_MISSING = "Enter the child's case reference (child_ref)"

SERVICE_AREA_MISSING = "Enter the service area"
SERVICE_AREA_UNKNOWN = (
    f"There is no service area with this name. Check the spelling, {OR_CREATE_MISSING}"
)
TEAM_MISSING = "Enter the team"
TEAM_UNKNOWN = (
    f"There is no team with this name in {{area}}. Check the spelling, {OR_CREATE_MISSING}"
)
TEAM_NOT_IN_AREA = "This team is in {actual}, not in {area}"

LEGAL_STATUS_MISSING = "Enter the child's legal status"
LEGAL_STATUS_UNKNOWN = "Use one of: {labels}"

AUDITOR_MISSING = "Enter the auditor's email address"
AUDITOR_INVALID = (
    "Enter the auditor's email address in the correct format, like name@example.gov.uk"
)
AUDITOR_UNKNOWN = f"Nobody has this email address. Check it, {OR_CREATE_MISSING}"

MODERATOR_UNKNOWN = AUDITOR_UNKNOWN

DATE_MISSING = "Enter the date the audit was completed, as YYYY-MM-DD"
DATE_INVALID = "Enter a real date as YYYY-MM-DD, for example 2025-03-31"
DATE_FUTURE = "The date the audit was completed cannot be in the future"

OVERALL_GRADE_MISSING = (
    "Enter the overall grade: Outstanding, Good, Requires Improvement or Inadequate "
    "(it cannot be blank or not graded)"
)
OVERALL_GRADE_UNKNOWN = (
    "Use Outstanding, Good, Requires Improvement (or RI, with 'upper' or 'lower' if "
    "banded) or Inadequate"
)
DOMAIN_GRADE_UNKNOWN = (
    "Use Outstanding, Good, Requires Improvement (or RI, with 'upper' or 'lower' if "
    "banded), Inadequate, or Not graded (or N/A, or leave it blank)"
)
BAND_ONLY_FOR_RI = "Only Requires Improvement can have an upper or lower band"
YES_NO_UNKNOWN = "Use yes, no or not applicable (or y, n, n/a), or leave it blank"

# What was or would be created -----------------------------------------------------------

CREATED_LABELS = {
    "service_areas": "service areas",
    "teams": "teams",
    "domains": "domains (with no grade descriptors yet)",
    "people": "people (inactive: an administrator must activate them before they can sign in)",
    "children": "children's case records",
}
