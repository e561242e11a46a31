"""Help for the standard templates' questions, shown under each question on the audit
form: where to look in the record and what good practice looks like. Keyed by the
question's text; a question that gives its own ``help_text`` keeps it."""

QUESTION_HELP = {
    # Shared by more than one template
    "The child's level of need at the time of the audit": "As the record stood on the day "
    "you audited: the child's plan or status then, not when the case opened.",
    "Which tools were used in the assessment?": "Tick each tool you can see used in the "
    "assessment itself, not only mentioned. Say in the comment how well they were used.",
    "Is supervision regular, in line with the supervision policy?": "Count the case "
    "supervisions recorded in the last six months against the frequency your supervision "
    "policy sets for this child's plan.",
    "Is case supervision regular, in line with the supervision policy?": "Count the case "
    "supervisions recorded in the last six months against the frequency your supervision "
    "policy sets for this child's plan.",
    "Are actions from previous supervision followed up?": "Take the actions from one "
    "supervision and look for them in the next: done, carried forward with a reason, or "
    "lost.",
    "How many social workers has the child had in the last 12 months?": "Count each "
    "allocated social worker, including the current one.",
    # Child Journey Audit: Visits
    "Are visits within statutory timescales?": "Compare the dates of visits in the last "
    "six months with the timescales for the child's plan (for example, at least every ten "
    "working days for a child protection plan). Note any gap and whether it was explained.",
    "Are visits purposeful, with a clear link to the child's plan?": "Each visit record "
    "should say why the visit happened, what was done towards the plan's outcomes and what "
    "happens next.",
    "Was the child seen alone?": "Seen on their own, in a place where they could speak "
    "freely, where their age and understanding allow. Say when, and if not, why not.",
    "Is there direct work, or for babies and non-verbal children detailed observation, to "
    "understand the child's wishes and feelings?": "Look for the work itself (drawings, tools, "
    "words) or careful observation of the child's behaviour, care and attachments, not only "
    "a note that it happened.",
    # Child Journey Audit: Assessments
    "Is the assessment up to date, completed within timescales and updated in the last 12 "
    "months?": "An assessment completed within 45 working days of the referral, and updated "
    "when circumstances changed or within the last year.",
    "Is the assessment comprehensive and analytical, with historical context and an "
    "analysis of risk and protective factors?": "More than a description: it weighs the "
    "history, what is working and what worries us, and says what it means for the child.",
    "Is the child's voice evident in the assessment?": "The child's wishes, feelings and "
    "daily experience, in their words or from observation, and how they shaped the "
    "analysis.",
    "Are the parents' views included, including the father's?": "Both parents and any "
    "significant adults in the household. If a father was not seen, the record should say "
    "what was done to find and involve him.",
    # Child Journey Audit: Supervision
    "Is supervision reflective, with hypotheses and challenge as well as tasks?": "Look for "
    "what the manager and worker think is happening for the child and why, and for "
    "challenge of the plan, not only a list of tasks.",
    "Does supervision advance the child's plan, with clear actions and timescales?": "Each "
    "action names who will do it and by when, and links to the plan's outcomes.",
    # Child Journey Audit: Plans & Planning
    "Is the child's plan up to date?": "Reviewed at the last core group, CIN or looked after "
    "review, and reflecting the child's current circumstances.",
    "Is the plan SMART: specific, measurable, achievable, relevant and time-bound?": "Could "
    "the family tell from the plan what will change, who will do what, by when, and how "
    "everyone will know it has worked?",
    "Were the parents involved in making the plan?": "Their views recorded, their "
    "contribution to the actions, and whether they agreed with it.",
    "Does the plan meet the needs identified in the assessment?": "Each need the assessment "
    "found should have an action in the plan, or a reason why not.",
    "Has the plan been shared with the child, in a way they understand?": "A version written "
    "for the child, or a record of it being explained to them, suited to their age and "
    "understanding.",
    # Child Journey Audit: Meetings & Reviews
    "Are meetings and reviews held within timescales?": "Strategy discussions, conferences, "
    "core groups, CIN meetings and looked after reviews against their timescales. Note any "
    "that were late and why.",
    "Do reviews identify drift and delay, and act on it?": "Whether reviews notice when the "
    "plan is not moving, say so, and change something as a result.",
    "Is there consistent interagency working, with partners attending and contributing?": (
        "Schools, health, police and others at meetings, sharing information and carrying "
        "out their actions."
    ),
    # Case File Audit
    "Summary of the child's circumstances and our involvement": "Why we became involved, the "
    "key events and decisions, and where things are now. Use the case reference only: no "
    "names.",
    "Has the child been seen within timescales, and seen alone?": "Compare visit dates with "
    "the timescales for the child's plan, and say when they were last seen on their own.",
    "Is there direct work or observation that shows the child's lived experience?": "Look for "
    "the work itself, or observation of babies and non-verbal children, telling us what a "
    "day is like for the child.",
    "Have the child's views influenced decisions about them?": "Trace one decision back: "
    "were the child's wishes known, recorded and weighed, and were they told the outcome?",
    "Is the assessment up to date and completed within timescales?": "Completed within 45 "
    "working days of the referral, and updated when circumstances changed.",
    "Does the assessment analyse risk and protective factors?": "It weighs what is working "
    "against what worries us and says what it means for the child's safety and development.",
    "Are the views of the child, both parents and partners included?": "Each adult in the "
    "child's life who matters to the plan, including fathers and new partners, or why they "
    "could not be seen.",
    "Is the plan up to date and SMART?": "Reviewed recently, and specific, measurable, "
    "achievable, relevant and time-bound, so the family know what will change and by when.",
    "Did the child and family help to make the plan?": "Their views and words in the plan, "
    "and their part in the actions.",
    "Is there a contingency or permanence plan where needed?": "What will happen if the plan "
    "does not work, and for a child in care, a permanence plan by their second review.",
    "Are key decisions timely, with the reasons recorded?": "Decisions such as stepping up "
    "or down, starting proceedings or closing, made when needed and explained on the record.",
    "Is management oversight evident at key points?": "A manager's recorded view at "
    "allocation, after assessments, at changes of plan and before closure.",
    "Have thresholds been applied appropriately, including escalation where needed?": "Was "
    "the child at the right level of intervention, and was concern escalated when things "
    "did not improve?",
    "Are strategy discussions, conferences, core groups and reviews held within "
    "timescales?": "Each against its statutory timescale, with any delay explained.",
    "Do the right agencies attend and contribute?": "Those who know the child (school, "
    "health, police and others) invited, present or sending reports, and doing their "
    "actions.",
    "Is independent scrutiny from the IRO or CP Chair evident?": "Their footprint on the "
    "record between meetings: checking progress, challenging drift, raising concerns.",
    "Is supervision reflective, and does it progress the plan?": "Thinking about what is "
    "happening for the child and why, and actions that move the plan on.",
    "Are the child's ethnicity, culture, religion, language and any disability recorded "
    "and understood?": "Recorded accurately, and understood: what they mean for this child "
    "and family, in the child's own terms where possible.",
    "Has the impact of the child's identity on their experience and needs been considered "
    "in assessment and planning?": "How identity, discrimination and culture shape the "
    "child's life and the help they need, in the analysis and in the plan's actions.",
    "Were interpreters or reasonable adjustments used where needed?": "An independent "
    "interpreter (not a family member), accessible formats, or adjustments for a parent's "
    "or child's disability.",
    # Leaving Care Audit
    "What is life like for this young person now?": "Home, education or work, health, money, "
    "relationships, and what they hope for. Use the case reference only: no names.",
    "Was the young person's voice evident throughout the record?": "Their wishes, feelings "
    "and plans, in their words, throughout the record, not only at reviews.",
    "How many personal advisers has the young person had in the last 12 months?": "Count "
    "each allocated personal adviser, including the current one.",
    "Is there a pathway plan reviewed in the last six months?": "A pathway plan, reviewed "
    "at least every six months and when circumstances change.",
    "Was the pathway plan written with the young person?": "Their words in the plan, their "
    "agreement, and a copy given to them.",
    "Where does the young person live?": "Where they live on the day you audit.",
    "Is the accommodation safe and suitable for the young person?": "Safe, affordable and "
    "right for their needs, as seen by the personal adviser and as the young person sees "
    "it.",
    "Were staying put or staying close considered?": "For a young person leaving foster "
    "care or a children's home, whether these were offered and discussed in time.",
    "Is the young person supported to develop independence skills?": "Budgeting, cooking, "
    "tenancy, health and keeping safe, planned and checked, not assumed.",
    "Is the young person in education, employment or training?": "On the day you audit. Say "
    "what they are doing, or for how long they have not been.",
    "Is there an active plan for education, employment or training, using entitlements "
    "such as the bursary?": "Actions with dates, and use of what they are entitled to, such "
    "as the bursaries for further and higher education.",
    "Have apprenticeships and higher education been explored with them?": "Recorded "
    "conversations about their options and ambitions, and help to apply.",
    "Does the young person have their health history?": "A written summary of their health "
    "history given to them, as care leavers are entitled to.",
    "Are they registered with a GP and a dentist?": "Registered where they live now.",
    "Are emotional and mental health needs identified and met?": "Needs recognised, and "
    "help offered and taken up, or the reason why not.",
    "Are important relationships, with family, brothers and sisters and former carers, "
    "supported?": "The relationships that matter to them, named, and practical help to keep "
    "them going.",
    "Do the young person's views influence their plan?": "Trace one decision back to what "
    "the young person said they wanted.",
    "Does the young person know their entitlements under the local offer?": "That they have "
    "been told, in a way they understood, and have a copy of the local offer for care "
    "leavers.",
}
