"""The upload form of past audits. The file is checked by its name and its content."""

from __future__ import annotations

import os
import zipfile

from crispy_forms_gds.layout import HTML, Button, Field
from django import forms
from django.conf import settings

from common.forms import gds_helper

from ..importer.messages import FILE_TYPE

EXTENSIONS = (".csv", ".xlsx")

CHOOSE_FILE = "Choose a CSV or Excel file"
FILE_TOO_LARGE = (
    "The file is larger than {limit} MB. Split the audits into files of up to {limit} MB "
    "and upload each one"
)
FILE_HINT = "A CSV or Excel .xlsx file, up to {limit} MB, with one row for each audit."
FILE_IS_EMPTY = "The chosen file is empty"
#: bytes of a CSV file looked at to tell text from a binary file
SNIFF_BYTES = 64 * 1024


def looks_like_xlsx(upload) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        upload.seek(0)


def looks_like_csv(upload) -> bool:
    upload.seek(0)
    start = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 text, as Excel's "Unicode Text" saves it
    return not (start.startswith(b"PK\x03\x04") or b"\x00" in start)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        error_messages={
            "required": CHOOSE_FILE,
            "invalid": CHOOSE_FILE,
            "missing": CHOOSE_FILE,
            "empty": FILE_IS_EMPTY,
        },
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    create_missing = forms.BooleanField(
        label="Create missing teams, areas, domains and people",
        help_text="Otherwise a team, service area, domain or auditor that does not exist is "
        "an error. People created this way cannot sign in until an administrator activates "
        "them.",
        required=False,
    )
    dry_run = forms.BooleanField(
        label="Check only (dry run)",
        help_text="Check the file and report what would happen, without importing anything.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = FILE_HINT.format(limit=settings.IMPORT_MAX_UPLOAD_MB)
        self.helper = gds_helper(
            Field("file", template="audits/imports/_file_upload.html"),
            HTML('{% include "audits/imports/_options.html" %}'),
            Button("submit", "Upload and check"),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name)[1].lower()
        if extension not in EXTENSIONS:
            raise forms.ValidationError(FILE_TYPE)
        limit = settings.IMPORT_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(FILE_TOO_LARGE.format(limit=limit))
        content_ok = looks_like_xlsx(upload) if extension == ".xlsx" else looks_like_csv(upload)
        if not content_ok:
            raise forms.ValidationError(FILE_TYPE)
        return upload


class CaseListUploadForm(forms.Form):
    """The Standard Safeguarding Dataset's extract, as one .zip of its CSV files."""

    file = forms.FileField(
        label="Upload the extract",
        help_text="One .zip file holding ssd_person.csv, ssd_professionals.csv, "
        "ssd_involvements.csv, the five episode files and ssd_cin_assessments.csv, as your "
        "case management system writes them.",
        error_messages={
            "required": "Choose the .zip file of the extract",
            "empty": "The file is empty",
        },
        widget=forms.FileInput(attrs={"accept": ".zip"}),
    )
    confirm_closures = forms.BooleanField(
        label="This extract is the whole open caseload",
        help_text="Needed only when it would close more than a fifth of the open children.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field("file"),
            Field.checkbox("confirm_closures", small=True),
            HTML(
                '<div class="govuk-button-group">'
                '<button type="submit" name="action" value="check" class="govuk-button" '
                'data-module="govuk-button">Check the extract</button>'
                '<button type="submit" name="action" value="apply" '
                'class="govuk-button govuk-button--warning" data-module="govuk-button">'
                "Update the case list</button></div>"
            ),
        )
