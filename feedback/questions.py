"""The six questions a family is asked, in staff, family and child-friendly words.

One table, read by the audit form, the form for feedback on its own, the family's page
and the figures, so a question is worded and counted the same everywhere.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    field: str  # the Feedback field that holds the answer
    staff: str  # how staff forms and figures name it
    family: str  # a parent's or carer's page
    child: str  # a child's page


QUESTIONS = [
    Question(
        "listened",
        "Felt listened to",
        "Did you feel listened to?",
        "Did your social worker listen to you?",
    ),
    Question(
        "understood",
        "Felt understood",
        "Did you feel understood?",
        "Did your social worker understand how you feel?",
    ),
    Question(
        "improved",
        "The social worker's involvement improved things",
        "Has the social worker made things better for your family?",
        "Have things got better since your social worker has been helping?",
    ),
    Question(
        "important",
        "The involvement felt important to them",
        "Did the social worker's help feel important to you?",
        "Did your social worker's help matter to you?",
    ),
    Question(
        "involved",
        "Felt involved in the plan and in control",
        "Did you feel part of the plan, and that you had a say?",
        "Did you get a say in the plan about you?",
    ),
    Question(
        "kept_in_touch",
        "The worker was punctual and kept in touch",
        "Did the social worker turn up on time and keep in touch?",
        "Did your social worker come when they said, and keep in touch?",
    ),
]
QUESTION_FIELDS = [q.field for q in QUESTIONS]
