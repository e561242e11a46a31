"""Who may search the records of views and changes: the QA Lead, who runs the
programme, and the Data Protection Officer, who sees these records and nothing else."""

import rules

from accounts.permissions import (
    grant_model_permissions,
    is_administrator,
    is_data_protection_officer,
    is_qa_lead,
)

rules.add_perm("governance.search_records", is_qa_lead | is_data_protection_officer)
rules.add_perm("governance.export_subject_access", is_qa_lead | is_data_protection_officer)
grant_model_permissions(
    "governance", ["retentionsettings"], is_qa_lead | is_administrator, ("change", "view")
)
grant_model_permissions("governance", ["retentionrun", "recordsearch"], is_qa_lead, ("view",))
