"""Import of past audits from CSV or Excel files (docs/import-format.md).

- ``reading``: the file into a heading row and numbered rows (CSV or XLSX);
- ``columns``: the headings matched to the format's columns;
- ``values``: each cell read (grades, yes / no, dates, vocabularies);
- ``moderation``: the moderation columns, refused while moderation is not built;
- ``lookups``: the organisation, people, children and audits read once;
- ``validation``: every row checked and the import planned, writing nothing;
- ``applying``: the plan written in one transaction;
- ``service``: ``audits_import``, called by the command and the upload task;
- ``jobs``: uploads from the web page, run by Celery.
"""

from .result import ImportResult, RowError
from .service import audits_import

__all__ = ["ImportResult", "RowError", "audits_import"]
