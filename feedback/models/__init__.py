from .ambassadors import (
    QUESTIONS as AMBASSADOR_QUESTIONS,
)
from .ambassadors import (
    AmbassadorReview,
    AmbassadorSample,
    HowChosen,
    ReviewAnswer,
    ReviewStatus,
)
from .feedback import (
    PARENT_OR_CARER,
    RESPONDENT_GROUP,
    AgeBand,
    Answer,
    Channel,
    Feedback,
    FeedbackSettings,
    NotObtainedReason,
    Outcome,
    Respondent,
    RespondentGroup,
    Source,
    age_band_for,
)
from .links import Audience, FamilyLink, LinkThrottle
from .quotes import Quote, QuoteStatus, QuoteTheme, Tone

__all__ = [
    "AMBASSADOR_QUESTIONS",
    "AmbassadorReview",
    "AmbassadorSample",
    "HowChosen",
    "ReviewAnswer",
    "ReviewStatus",
    "PARENT_OR_CARER",
    "RESPONDENT_GROUP",
    "AgeBand",
    "Answer",
    "Audience",
    "Channel",
    "FamilyLink",
    "Feedback",
    "FeedbackSettings",
    "LinkThrottle",
    "NotObtainedReason",
    "Outcome",
    "Quote",
    "QuoteStatus",
    "QuoteTheme",
    "Respondent",
    "RespondentGroup",
    "Source",
    "Tone",
    "age_band_for",
]
