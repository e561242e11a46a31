from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout


def gds_helper(*fields) -> FormHelper:
    """A GOV.UK form helper; templates write the <form> tag and the error summary."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper
