from accounts.permissions import grant_model_permissions, is_administrator, is_qa_lead

grant_model_permissions("audits", ["child"], is_administrator | is_qa_lead)
