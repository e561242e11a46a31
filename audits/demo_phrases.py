"""Phrases the demo council's audits are written from. No names: children are "the
child" or "the young person", and everyone else is known by their role."""

# Evidence for each domain: what auditors write when practice is strong, and when it
# falls short. An Outstanding grade adds one of the "exceptional" phrases.
EVIDENCE = {
    "Visits": {
        "strong": [
            "Visits have been within timescales for the last six months and each has a "
            "clear purpose linked to the plan.",
            "The child was seen alone on most visits and the records capture what they said "
            "in their own words.",
            "Direct work using the three houses tool helped the child talk about home and "
            "school, and this is reflected in the plan.",
            "For this non-verbal child, visit records describe careful observation of their "
            "play, communication and relationship with their carer.",
            "Visit records are written to the child and explain what was discussed and what "
            "will happen next.",
        ],
        "weak": [
            "Two visits in the period were late and the gaps are not explained on the file.",
            "There is no record that the child was seen alone since the plan began.",
            "Visit records describe the home and the parent's presentation but say little "
            "about the child's experience.",
            "Direct work is mentioned but not recorded, so the child's wishes and feelings "
            "are not evident.",
            "Recent visit records are brief and copied forward from earlier visits.",
        ],
        "exceptional": [
            "The social worker's persistent, creative direct work has built real trust, and "
            "the child's voice visibly shapes every decision.",
        ],
    },
    "Assessments": {
        "strong": [
            "The assessment is up to date and analytical, weighing risk and protective "
            "factors against the family's history.",
            "A genogram and chronology are on file and have been used well in the analysis.",
            "The child's wishes and feelings are clearly captured and inform the recommendations.",
            "Both parents contributed, including the father, whose views are recorded in detail.",
            "Recommendations are clear and led directly to targeted help for the family.",
        ],
        "weak": [
            "The assessment is more than twelve months old and has not been updated since "
            "the family's circumstances changed.",
            "The assessment is largely descriptive, with limited analysis of what the "
            "history means for the child.",
            "The father's views were not sought and there is no explanation why.",
            "No genogram or chronology informs the assessment, and theory and research are "
            "not applied.",
            "The child's voice is limited to a single sentence in the assessment.",
        ],
        "exceptional": [
            "The assessment is an exemplar: concise, deeply analytical and written so the "
            "family can understand it.",
        ],
    },
    "Supervision": {
        "strong": [
            "Supervision is monthly, in line with policy, and each record sets clear actions "
            "with timescales.",
            "Supervision is reflective, testing hypotheses about the family and keeping the "
            "child's experience central.",
            "Actions from the previous supervision are reviewed and followed up.",
            "The manager's oversight has moved the plan on, including a timely decision to "
            "escalate.",
        ],
        "weak": [
            "There is a three-month gap in case supervision with no explanation.",
            "Supervision records are task lists with little reflection or challenge.",
            "Actions from supervision lack timescales and are not followed up.",
            "Supervision has not addressed the drift in the plan over recent months.",
        ],
        "exceptional": [
            "Supervision is consistently reflective and challenging, and its impact on the "
            "child's progress is clear.",
        ],
    },
    "Plans & Planning": {
        "strong": [
            "The plan is up to date and SMART, with named people and timescales for each action.",
            "Both parents helped shape the plan and have a copy.",
            "The plan addresses every need identified in the assessment, including the "
            "child's emotional health.",
            "The plan was updated promptly after the last review and progress is evident.",
            "A version of the plan written for the child has been shared with them.",
        ],
        "weak": [
            "The plan has not been updated since the last review and some actions are "
            "complete or no longer relevant.",
            "Outcomes are not SMART: several actions have no owner or timescale.",
            "There is no evidence the plan was shared with the parents or the child.",
            "The plan does not address the concerns about the child's school attendance "
            "identified in the assessment.",
            "The plan remains in draft and has not been signed off.",
        ],
        "exceptional": [
            "The plan is exceptionally clear and child-centred, and is visibly improving "
            "the child's daily life.",
        ],
    },
    "Meetings & Reviews": {
        "strong": [
            "Reviews have been held within timescales with good attendance from school and health.",
            "The IRO's footprint is clear between reviews, with a mid-point check on progress.",
            "The last review identified drift in the plan and set clear actions to address it.",
            "Minutes were completed promptly and shared with the family.",
        ],
        "weak": [
            "The last review was held late and minutes are not yet on the file.",
            "Partner agencies did not attend the last two meetings and their contributions "
            "are not recorded.",
            "There is little evidence of scrutiny by the CP Chair between conferences.",
            "Reviews record progress but do not challenge the delay in the plan.",
        ],
        "exceptional": [
            "The IRO's challenge and escalation have made a measurable difference to the "
            "child's plan and stability.",
        ],
    },
    "Pathway planning": {
        "strong": [
            "The pathway plan was reviewed within six months and written with the young person.",
            "The personal adviser is in regular, purposeful contact and knows the young "
            "person well.",
            "Pathway plan actions are SMART and cover independence skills and finances.",
        ],
        "weak": [
            "The pathway plan is overdue for review and does not reflect the young person's "
            "recent move.",
            "Contact with the personal adviser has been irregular, with a gap of over three "
            "months.",
            "The pathway plan is generic and the young person's own goals are not recorded.",
        ],
        "exceptional": [
            "The pathway plan is ambitious and owned by the young person, who is making "
            "clear progress towards their goals.",
        ],
    },
    "Accommodation and staying put": {
        "strong": [
            "The young person is settled in supported accommodation that meets their needs.",
            "Staying put was discussed and supported, and the young person chose to remain "
            "with their former foster carers.",
            "The move to an independent tenancy was planned well in advance, with tenancy "
            "training completed.",
        ],
        "weak": [
            "The young person has moved three times this year and the moves were not planned.",
            "There is no evidence that staying put was considered.",
            "Concerns about the suitability of the current accommodation have not been "
            "followed up.",
        ],
        "exceptional": [
            "Accommodation planning has been outstanding, giving the young person stability "
            "and a home they chose.",
        ],
    },
    "Education, employment and training": {
        "strong": [
            "The young person is at college and the bursary is in place.",
            "The personal adviser has worked with the careers service to secure an apprenticeship.",
            "Higher education options were explored and the young person has applied to "
            "university with support.",
        ],
        "weak": [
            "The young person has been out of education, employment or training for six "
            "months without an active plan.",
            "Entitlements such as the bursary have not been discussed with the young person.",
            "The plan records the young person's aspiration but no steps towards it.",
        ],
        "exceptional": [
            "High expectations and tenacious support have helped the young person achieve "
            "well beyond their earlier predictions.",
        ],
    },
    "Health and wellbeing": {
        "strong": [
            "The young person has their health history and is registered with a GP and dentist.",
            "Emotional wellbeing is discussed at each contact and counselling is in place.",
            "Risks around substance misuse were identified quickly and a referral made.",
        ],
        "weak": [
            "The young person has not been given their health history.",
            "An outstanding dental appointment has not been followed up.",
            "Concerns about low mood are recorded but there is no plan to respond to them.",
        ],
        "exceptional": [
            "The young person is helped to manage their own health, with timely specialist "
            "support that has made a real difference.",
        ],
    },
    "Relationships and the young person's voice": {
        "strong": [
            "Contact with brothers and sisters is supported and the young person's views on "
            "it are recorded.",
            "The young person's voice runs through the record and shapes their plan.",
            "The young person knows the local offer and how to raise a concern.",
        ],
        "weak": [
            "The young person's relationships with family are mentioned but not supported.",
            "The young person's views are recorded but do not appear to influence decisions.",
            "There is no evidence the young person has been told about the local offer.",
        ],
        "exceptional": [
            "The young person has strong, nurtured relationships and a trusted adult, and "
            "their voice is at the heart of every decision.",
        ],
    },
}

GENERIC_EVIDENCE = {
    "strong": [
        "This is consistent across the period audited.",
        "The impact for the child is evident on the file.",
        "This was confirmed in conversation with the social worker.",
    ],
    "weak": [
        "The social worker agreed this is an area to develop.",
        "This has been raised with the team manager.",
        "The impact for the child is not yet clear from the record.",
    ],
}

RATIONALE = {
    "outstanding": [
        "Practice is exceptional across every area: the child is known well, their voice "
        "drives the plan and their circumstances have improved markedly.",
        "Consistently excellent, child-centred practice with strong management oversight "
        "and clear evidence of impact for the child.",
    ],
    "good": [
        "Practice is consistently good: visits are purposeful, the assessment is analytical "
        "and the plan is meeting the child's needs, with some minor gaps in recording.",
        "The child's needs are well understood and met. Some areas, such as supervision "
        "recording, could be stronger, but they do not affect the overall quality.",
        "Good, relationship-based practice with a clear plan and evidence that the child's "
        "situation is improving.",
    ],
    "requires_improvement": [
        "There are no widespread or serious failures, but practice is not yet good: the "
        "plan is not SMART and the child's voice is not consistently evident.",
        "Some strong practice, particularly in visits, but assessment and planning are out "
        "of date and supervision has not addressed the drift.",
        "The child is safe and their needs are mostly known, but timeliness and the quality "
        "of recording need to improve for practice to be good.",
    ],
    "inadequate": [
        "There are serious gaps: the child has not been seen alone, the assessment is "
        "significantly out of date and risks are not being reviewed.",
        "Practice has not kept the child's needs in view: visits are late, there is no "
        "current plan and management oversight is absent.",
        "Drift and delay have left the child in the same circumstances for over six months "
        "without effective challenge.",
    ],
}

STRENGTHS = [
    "The social worker has built a warm, trusting relationship with the child.",
    "Direct work is creative and helps the child express their wishes and feelings.",
    "The assessment is analytical and uses a genogram and chronology well.",
    "Reviews are timely and well attended by partner agencies.",
    "Management oversight is visible at key decision points.",
    "The family report feeling listened to and supported.",
    "The plan is SMART and has been shared with the family.",
    "Records are written to the child and are respectful and clear.",
]

AREAS_FOR_DEVELOPMENT = [
    "Ensure visits are within statutory timescales and that the child is seen alone.",
    "Update the assessment to reflect the family's current circumstances.",
    "Make the plan SMART, with owners and timescales for every action.",
    "Include the father's views in the assessment and plan.",
    "Record direct work so the child's voice is evident.",
    "Case supervision should be regular and reflective, with actions followed up.",
    "Share the plan with the child in a way they can understand.",
    "Ensure minutes of meetings are completed and on the file promptly.",
]

ACTIONS = {
    "Visits": [
        "See the child alone at the next visit and record their wishes and feelings.",
        "Bring visits back within statutory timescales and record the reason for any gap.",
    ],
    "Assessments": [
        "Update the assessment to reflect the family's current circumstances.",
        "Complete a genogram and chronology and use them in the analysis.",
        "Seek and record the father's views.",
    ],
    "Supervision": [
        "Hold case supervision this month and set SMART actions with timescales.",
    ],
    "Plans & Planning": [
        "Revise the plan so every action has an owner and a timescale.",
        "Share the plan with the child and parents and record their views.",
    ],
    "Meetings & Reviews": [
        "Complete and circulate the minutes of the last review.",
        "Invite school and health to the next review and record their contributions.",
    ],
    "Pathway planning": [
        "Review the pathway plan with the young person within the next four weeks.",
    ],
    "Accommodation and staying put": [
        "Discuss staying close with the young person and record their decision.",
    ],
    "Education, employment and training": [
        "Make a referral to the careers service and explain the bursary to the young person.",
    ],
    "Health and wellbeing": [
        "Give the young person their health history and check GP and dentist registration.",
    ],
    "Relationships and the young person's voice": [
        "Agree with the young person how contact with their brothers and sisters will be "
        "supported.",
    ],
}

RETURN_COMMENTS = [
    "The evidence for Supervision does not support the grade given: please add what you "
    "found on the file.",
    "Please complete the participation section: it is not clear whether the child was spoken to.",
    "The overall grade does not match the domain grades. Please review the rationale.",
    "Please add proposed actions for the areas for development you have identified.",
]

REPLIES = {
    "agree": [
        "Thank you for the audit. I agree with the findings and have already updated the plan.",
        "I agree. The feedback on direct work is helpful and I will use it with other children.",
    ],
    "comment": [
        "The assessment was updated last week, after the audit was completed.",
        "The gap in visits was during a period of sickness; cover arrangements are now in place.",
    ],
    "disagree": [
        "I disagree with the Supervision grade: supervision took place monthly but two "
        "records were uploaded late.",
    ],
}

ANSWER_COMMENTS = {
    "yes": [
        "Clearly evidenced on the file.",
        "Seen in the case notes for the last three months.",
        "Confirmed with the social worker and on the record.",
    ],
    "partly": [
        "Evident in some records but not consistently.",
        "Partly: the most recent record is good but earlier ones are not.",
    ],
    "no": [
        "Not evident on the file.",
        "No record found for the period audited.",
    ],
}

JOURNEY_SUMMARY = {
    "early_help": "Referred to Early Help by school after concerns about attendance and "
    "low mood. A family support worker has worked with the family for six months.",
    "child_in_need": "Known to children's services for two years. A Child in Need plan is "
    "in place to support the family with housing and the child's emotional wellbeing.",
    "child_protection": "Subject to a Child Protection plan under the category of neglect "
    "following an initial child protection conference four months ago.",
    "child_in_care": "Came into care eighteen months ago and lives with long-term foster "
    "carers. The care plan is for permanence through long-term fostering.",
    "care_leaver": "Left care at eighteen after four years in foster care. Now supported "
    "by a personal adviser under a pathway plan.",
    "disabled_children": "Has complex health needs and receives short breaks. A Child in "
    "Need plan supports the family with care at home.",
    "subject_to_assessment": "Referred by the police after a domestic incident. A single "
    "assessment is under way.",
}

LIFE_NOW = [
    "Enjoys school and football; worries about arguments at home. Feels safe with their "
    "carer and would like more time with their brother.",
    "Attends school most days and has two close friends. Finds it hard to talk about home "
    "but has a trusted adult at school.",
    "Settled and happy in placement, doing well at college, and wants to stay in touch "
    "with their former carers.",
    "Life is unsettled: several moves this year and missed school. Says they want one "
    "worker who stays.",
]

CANCEL_NOTES = [
    "Case closed before the audit",
    "Child moved to another local authority",
    "Duplicate allocation",
]

EXEMPTION_REASONS = [
    "Covering a vacant team manager post this month.",
    "Annual leave for most of the month.",
    "Leading a court case with a heavy preparation load this month.",
]

DIP_SAMPLE_TOPICS = [
    "Visits to children on child protection plans",
    "Case summaries",
    "Management oversight on child in need plans",
    "Chronologies on open cases",
    "Supervision recording",
    "Return home interviews after missing episodes",
    "Early help assessments",
    "Strategy discussions",
    "Life story work for children in care",
    "Pathway plan reviews",
]

THEMATIC_TOPICS = [
    "The last 50 children to become looked after",
    "Quality of management oversight on child protection plans",
    "Section 47 enquiries leading to no further action",
    "Children who have had four or more social workers",
    "Effective use of the Public Law Outline",
    "Direct work with children",
]

SAMPLE_FINDINGS = [
    "Most records met the standard. Timeliness was the main gap, with about one in five "
    "outside timescales, concentrated in two teams.",
    "Recording was generally good and the child's voice was evident in most records. A "
    "minority lacked management oversight at key decision points.",
    "Thresholds were applied appropriately. Fathers' views were missing from about a third "
    "of records.",
    "Practice has improved since the last sample, particularly in the use of chronologies.",
]

SAMPLE_RECOMMENDATIONS = [
    "Team managers to review the records that fell short and confirm actions at the next "
    "performance meeting.",
    "Share the findings at the End to End meeting and repeat the sample in three months.",
    "Add the gaps found to the practice week programme.",
]

MULTI_AGENCY_TOPICS = [
    ("Neglect", ["Children's social care", "Police", "Health visiting", "Schools"]),
    ("Child exploitation", ["Children's social care", "Police", "Youth justice", "Schools"]),
    ("Domestic abuse", ["Children's social care", "Police", "Domestic abuse service", "GP"]),
    ("Children missing education", ["Children's social care", "Schools", "Education welfare"]),
]

MULTI_AGENCY_FINDINGS = [
    "Agencies shared information well at the front door, but partner contributions to "
    "plans were inconsistent after the initial strategy discussion.",
    "Good attendance at meetings; health records did not always reflect the child's plan.",
]

OBSERVATION_STRENGTHS = [
    "Warm, respectful engagement with the child, using play to understand their views.",
    "Clear, honest explanation of the concerns to the parents, checking their understanding.",
    "Well-chaired meeting that kept the child's experience central.",
    "Reflective supervision discussion with clear hypotheses and actions.",
]

OBSERVATION_AREAS = [
    "Allow more time for the child to respond before moving on.",
    "Summarise agreed actions and timescales at the end of the meeting.",
    "Record the child's own words as well as the practitioner's observations.",
]
