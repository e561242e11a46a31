"""Writes of the feedback app: records, families' links and quotes. Views, the audit
form's section and commands call these, and nothing else, to change feedback."""
