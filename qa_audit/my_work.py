"""The home page, "My work": what needs this person now.

Each app contributes a provider: a function taking the user and returning a list of
sections ({"title", "items": [{"text", "url", "count"?}], "empty"?}). Providers run
their own scoped, constant-count queries.
"""

from accounts.selectors import organisation_gaps

PROVIDERS = [organisation_gaps]


def my_work_for(user) -> list[dict]:
    sections = []
    for provider in PROVIDERS:
        sections.extend(provider(user))
    return sections
