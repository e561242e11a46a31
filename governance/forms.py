from crispy_forms_gds.layout import Button, Field
from django import forms

from accounts.forms import AccessChangeFilterForm
from common.forms import gds_helper

from .selectors import CHANGES, VIEWS, child_with_reference, people_in_records

CHILD_NOT_FOUND = "No child has the case reference '{reference}': check it and try again"
SHOW_CHOICES = [("", "Views and changes"), (VIEWS, "Views only"), (CHANGES, "Changes only")]


class RecordSearchForm(AccessChangeFilterForm):
    """Person, child, dates and what to show. The person is whoever viewed or changed
    something; the child is found by case reference."""

    child = forms.CharField(
        label="Child's case reference",
        required=False,
        max_length=50,
        help_text="Every view of and change to this child's audits, actions, feedback and case",
    )
    show = forms.ChoiceField(label="Show", choices=SHOW_CHOICES, required=False)

    field_order = ["person", "child", "since", "until", "show"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.queryset = people_in_records()
        person.empty_label = "Anyone"
        person.help_text = "The person who viewed or changed something"
        person.label_from_instance = lambda user: f"{user.get_full_name()} ({user.email})"
        self.helper = gds_helper(
            Field.select("person"),
            Field.text("child"),
            Field.text("since"),
            Field.text("until"),
            Field.select("show"),
            Button.secondary("apply", "Search"),
        )
        self.helper.disable_csrf = True  # a search (GET): no token in the address

    def clean_child(self):
        reference = self.cleaned_data.get("child", "").strip()
        if not reference:
            return None
        child = child_with_reference(reference)
        if child is None:
            raise forms.ValidationError(CHILD_NOT_FOUND.format(reference=reference))
        return child
