"""The standard domains and what each grade looks like in them.

Written in the language of Ofsted's judgements for inspections of local authority
children's services (ILACS): Outstanding practice transforms children's experiences,
Good practice is consistent and effective, Requires Improvement has no widespread or
serious failures but is not yet good, and Inadequate leaves children at risk or
without the help they need. Auditors read these beside the grade as they choose it.
"""

from ..models import Grade

# The grades' initials keep each descriptor on as few lines as possible.
O, G, RI, I = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE  # noqa: E741

#: domain name -> (description, {grade: descriptor})
DOMAINS: dict[str, tuple[str, dict[str, str]]] = {
    # The Child Journey Audit's five priority areas ---------------------------------
    "Visits": (
        "Whether the child is seen, seen alone and understood, and whether visits are "
        "purposeful and recorded for the child.",
        {
            O: "Children are visited at least as often as their plan requires, and more "
            "often when things change; every visit has a clear purpose linked to the plan. "
            "Children are routinely seen alone, and skilled, creative direct work makes their "
            "wishes, feelings and daily life vivid on the record, including for babies and "
            "non-verbal children through careful observation. Records are written to the "
            "child and show how each visit made a difference.",
            G: "Visits are within statutory timescales and purposeful, with clear links to "
            "the child's plan. Children are seen alone where appropriate, and direct work "
            "helps the practitioner understand their wishes and feelings; observations are "
            "recorded for children who cannot say what life is like for them. Records are up "
            "to date, reflective and mostly written to the child.",
            RI: "Most visits take place, but some are late or gaps are not explained, and the "
            "purpose of visits is not always clear. Children are not consistently seen alone "
            "and direct work is limited or not recorded, so the child's voice is present but "
            "thin. Records describe what happened rather than what it means for the child, "
            "although there are no widespread or serious failures that leave the child at "
            "risk.",
            I: "Visits are missed or significantly out of timescale, or there is no record "
            "that they happened, and the child has not been seen alone. There is little or no "
            "evidence of the child's wishes, feelings or lived experience, so risks to the "
            "child may not be recognised. Records are absent, copied forward or not about "
            "the child.",
        },
    ),
    "Assessments": (
        "Whether the assessment is timely, analytical and shaped by the child, their "
        "parents and the professionals around them.",
        {
            O: "The assessment is timely, comprehensive and analytical: it draws on history, "
            "the chronology and current circumstances to explain what is happening for the "
            "child and why. Risk and protective factors are weighed clearly, theory and "
            "research are applied, and tools such as genograms and ecomaps are used well. The "
            "child's voice and the views of both parents, including fathers, shape the "
            "conclusions, which lead directly to the right help.",
            G: "The assessment is completed within timescales and updated when circumstances "
            "change. It includes historical context, a clear analysis of risk and protective "
            "factors and the child's wishes and feelings, and parents' views, including "
            "fathers', are sought. Recommendations are clear and lead to targeted help and a "
            "plan that matches the child's needs.",
            RI: "An assessment is in place, but it is late, out of date or more descriptive "
            "than analytical. History, risk or the impact on the child is not fully "
            "considered, the child's voice or a parent's views are missing, and tools, theory "
            "and research are little used. Recommendations are not clearly linked to the "
            "child's needs, although the child is not left at risk because of it.",
            I: "There is no current assessment, or it is so late or so poor that the child's "
            "needs and risks are not understood. Significant history, risk or harm is missed "
            "or minimised, and neither the child nor their parents have been meaningfully "
            "involved. Decisions about the child are being made without a sound basis.",
        },
    ),
    "Supervision": (
        "Whether supervision is regular and reflective, and whether it moves the child's "
        "plan forward.",
        {
            O: "Supervision is regular, in line with policy and consistently reflective: it "
            "tests hypotheses, challenges practice and keeps the child's lived experience at "
            "the centre. Decisions and the reasons for them are recorded with SMART actions "
            "that are followed up at the next session. The child's plan demonstrably moves "
            "forward because of supervision.",
            G: "Supervision takes place regularly in line with the supervision policy and is "
            "well recorded. It reflects on the child's experience and on risk as well as "
            "tasks, and sets clear actions and timescales that progress the plan. Actions "
            "from previous supervision are reviewed.",
            RI: "Supervision happens, but not always as often as policy requires, or it is "
            "mainly task-focused with little reflection or challenge. Actions lack timescales "
            "or are not followed up, so the plan moves forward slowly. The child's experience "
            "is not always the focus of the discussion.",
            I: "Supervision is absent, very infrequent or not recorded, or it does not "
            "recognise or act on risk to the child. There is no management grip of drift and "
            "delay, and actions, where set, are not followed up. The lack of oversight leaves "
            "the child's circumstances unchanged or the child at risk.",
        },
    ),
    "Plans & Planning": (
        "Whether the child's plan is current, SMART, made with the family and meets the "
        "needs the assessment found.",
        {
            O: "The plan is current, SMART and written so that the child and family "
            "understand it; it was built with the child, both parents and the professional "
            "network, and has been shared with them. It addresses every need identified in "
            "the assessment, including identity and emotional health, with clear contingency "
            "and permanence planning where relevant. Progress is measured and the plan is "
            "changing the child's life for the better.",
            G: "The plan is up to date, follows from the assessment and has SMART outcomes "
            "with named people and timescales. Parents, and the child where old enough, have "
            "contributed to it and have a copy. It is updated after reviews and conferences, "
            "and progress against it is evident.",
            RI: "A plan exists, but parts are out of date, in draft or not SMART: actions lack "
            "owners, timescales or measurable outcomes. The child's or a parent's involvement "
            "is limited and the plan has not been shared with them. It addresses the main "
            "concerns but not all the needs identified in the assessment.",
            I: "There is no plan, or it is so out of date or generic that it does not address "
            "the child's needs or the risks they face. The family have not been involved and "
            "do not know what is expected of them or what help they will receive. The child's "
            "circumstances drift because planning is not effective.",
        },
    ),
    "Meetings & Reviews": (
        "Whether meetings and reviews happen on time with the right people, and whether "
        "they identify drift and delay.",
        {
            O: "Meetings and reviews are held on time with the right people present, "
            "including partner agencies, and the child and parents are well prepared to take "
            "part. The IRO's or CP Chair's footprint is strong: progress is rigorously "
            "reviewed and drift and delay are identified early and challenged, with "
            "escalation where needed. Minutes are clear, prompt and shared, and decisions "
            "improve the child's circumstances.",
            G: "Meetings and reviews are held within timescales with consistent interagency "
            "attendance and contribution. The child's voice and parents' views are evident, "
            "the IRO or CP Chair provides clear scrutiny, and reviews identify and address "
            "drift and delay. Minutes and decisions are recorded promptly.",
            RI: "Most meetings take place, but some are late or poorly attended by partners, "
            "or minutes are missing or delayed. Reviews describe progress but do not always "
            "identify drift and delay or hold agencies to account, and IRO or CP Chair "
            "oversight is not consistently evident. The participation of the child and "
            "parents varies.",
            I: "Meetings and reviews are not held, are significantly late, or do not involve "
            "the key agencies or the family. There is no evidence of independent scrutiny, "
            "and drift and delay go unchallenged. The child's plan is not progressed and "
            "risks are not reviewed.",
        },
    ),
    # The Case File Audit's seven domains (Supervision is shared with the CJA) --------
    "Seeing and hearing the child": (
        "Whether the child is seen and listened to, and whether what they say changes "
        "what happens.",
        {
            O: "The child is seen regularly, often alone, by a worker who knows them well; "
            "direct work is creative, matched to their age and understanding, and recorded in "
            "the child's own words. What the child says and shows is understood, given "
            "weight, and visibly changes decisions and plans. The record gives a vivid "
            "picture of the child's daily life.",
            G: "The child is seen within timescales and alone where appropriate, and direct "
            "work or observation captures their wishes, feelings and experiences. The child's "
            "views are recorded, considered in assessment and planning, and there is evidence "
            "that they influence decisions.",
            RI: "The child is seen, but not always within timescales or alone, and direct "
            "work is limited. The child's views are recorded but their influence on decisions "
            "is unclear, and for young or non-verbal children observation is not used well to "
            "understand their experience.",
            I: "The child has not been seen, or not seen alone, for a long period without "
            "explanation. There is little or no record of what the child thinks or feels or "
            "of their daily life, and their experience has not informed decisions about "
            "them.",
        },
    ),
    "Quality of assessment": (
        "Whether assessments are timely and analytical and lead to the right help.",
        {
            O: "Assessments are timely and of high quality throughout the child's journey, "
            "updated as circumstances change. Analysis is sharp and evidence-based, drawing "
            "on history, research and the views of the child, both parents and partner "
            "agencies, and the impact of what is happening on the child is clear. The "
            "assessment leads to decisive, well-targeted help.",
            G: "The assessment is up to date, completed within timescales and analytical, "
            "with history, risk and protective factors clearly considered. It includes the "
            "child's voice and the views of parents and professionals, and its "
            "recommendations lead to a plan that meets the child's needs.",
            RI: "The assessment is in place but is late, out of date or largely descriptive. "
            "Some important information, such as history, the views of a parent or the "
            "child's lived experience, is missing or not analysed, and the link between the "
            "assessment and the plan is weak.",
            I: "There is no assessment or it is seriously out of date, and the child's needs "
            "and risks are not understood. Key information is missing or risk is minimised, "
            "so the help provided does not protect the child or meet their needs.",
        },
    ),
    "Quality of plans": (
        "Whether plans are SMART, current, shared and focused on the child's outcomes.",
        {
            O: "The plan is clear, SMART and outcome-focused, written in language the child "
            "and family understand and shaped by them. It covers all of the child's needs, "
            "including identity and permanence, with contingencies, and progress is reviewed "
            "rigorously. Children's circumstances improve measurably because of the plan.",
            G: "The plan is current, SMART and follows from the assessment, with named "
            "responsibilities and timescales. The family and the child, where old enough, "
            "helped shape it and have a copy, and it is updated after each review.",
            RI: "The plan addresses the main concerns but some actions are vague, lack "
            "timescales or owners, or are out of date. The family's and child's contribution "
            "is limited, and the plan has not always been shared or updated after reviews.",
            I: "There is no plan, or the plan does not address the risks and needs the child "
            "faces. It is significantly out of date or generic, the family do not know what "
            "is expected, and the child's circumstances are not improving.",
        },
    ),
    "Decision making and management oversight": (
        "Whether decisions are timely and reasoned, and whether managers' oversight is "
        "visible and effective.",
        {
            O: "Management oversight is visible at every key point, and decisions are "
            "timely, clearly reasoned and recorded with the child's needs at their centre. "
            "Managers anticipate and prevent drift, challenge practice and escalate "
            "appropriately, including through the Public Law Outline where needed. Thresholds "
            "are applied consistently and the child's circumstances improve as a result.",
            G: "Key decisions are made at the right time by the right level of manager, and "
            "the reasons are recorded. Management oversight is regular and evident on the "
            "file, thresholds are applied appropriately and decisions are followed through.",
            RI: "Decisions are made but are sometimes late or their reasons are not "
            "recorded, and management oversight is intermittent. Thresholds are mostly "
            "right, but drift is not always identified quickly and some decisions are not "
            "followed through.",
            I: "Key decisions are not made, are significantly delayed or are inconsistent "
            "with the risks to the child. There is little or no management oversight on the "
            "file and thresholds are misapplied, leaving the child where harm is not "
            "addressed.",
        },
    ),
    "Meetings and reviews": (
        "Whether strategy discussions, conferences, core groups and reviews are timely, "
        "well attended and purposeful.",
        {
            O: "Strategy discussions, conferences, core groups and reviews are timely, well "
            "prepared and attended by every agency that should be there, and the child and "
            "family take a real part. Independent scrutiny by the IRO or CP Chair is strong, "
            "with challenge and escalation that make a difference. Minutes are prompt and "
            "clear and decisions move the plan on.",
            G: "Meetings and reviews are held within timescales with good interagency "
            "attendance, and the child's and family's views are heard. The IRO or CP Chair's "
            "oversight is evident, drift is identified and acted on, and minutes are "
            "completed promptly.",
            RI: "Most meetings happen, but some are late, poorly attended or not minuted in "
            "time. Independent oversight is inconsistent and reviews do not always identify "
            "or challenge drift, and the child's or family's participation is limited.",
            I: "Required meetings and reviews do not take place or are seriously late, key "
            "agencies or the family are absent, and there is no effective independent "
            "scrutiny. Risks are not reviewed and the plan does not progress.",
        },
    ),
    "Consideration of the impact of diversity": (
        "Whether the child's identity, culture, faith, language and disability are "
        "understood and shape the help given.",
        {
            O: "The child's identity, including ethnicity, culture, religion, language, "
            "disability, sexuality and gender, is understood in depth and informs every part "
            "of the work. Practitioners reflect on their own assumptions and on the impact of "
            "discrimination and disadvantage on the family, and adapt services accordingly, "
            "for example through interpreters or culturally matched support. The child is "
            "helped to develop a positive sense of who they are.",
            G: "The child's identity and the family's culture, faith, language and any "
            "disability are recorded and considered in assessment and planning. Interpreters "
            "and reasonable adjustments are used where needed, and the plan supports the "
            "child's identity needs.",
            RI: "Identity and diversity are recorded but described rather than analysed: "
            "their impact on the child's experience and on the help provided is not clearly "
            "considered. Some needs, such as language or disability, are not fully met.",
            I: "The child's identity, culture, language or disability are not recorded or "
            "are ignored, and the family may not understand the help offered. Discrimination "
            "or disadvantage affecting the child is not recognised, and the help given does "
            "not meet their needs.",
        },
    ),
    # The Leaving Care Audit ---------------------------------------------------------
    "Pathway planning": (
        "Whether the pathway plan is current, written with the young person, and "
        "preparing them for adult life.",
        {
            O: "The pathway plan is current, reviewed at least every six months and when "
            "circumstances change, and written with the young person in their own words. It "
            "sets ambitious, SMART goals across every area of their life, and the personal "
            "adviser knows them well and is in frequent, purposeful contact. The young person "
            "is clearly making progress towards the independence they want.",
            G: "There is an up-to-date pathway plan, reviewed within timescales, that the "
            "young person helped to write and has a copy of. It covers accommodation, "
            "education, employment, health and relationships with clear actions, and the "
            "personal adviser keeps in touch at least as often as required.",
            RI: "A pathway plan exists but is overdue for review, generic or only partly "
            "completed, and the young person's contribution to it is limited. Actions lack "
            "owners or timescales and contact with the personal adviser is irregular, "
            "although the young person's main needs are known.",
            I: "There is no pathway plan, or it is significantly out of date and does not "
            "reflect the young person's circumstances. Contact from the personal adviser is "
            "sporadic or lost, and the young person is not being prepared for adult life, "
            "leaving them at risk.",
        },
    ),
    "Accommodation and staying put": (
        "Whether the young person lives somewhere safe and suitable, and whether moves "
        "are planned with them.",
        {
            O: "The young person lives somewhere safe, suitable and of their choosing, "
            "planned well in advance; staying put or staying close was actively offered and "
            "supported where right for them. Moves happen at their pace with contingencies in "
            "place, and they have the skills and support to manage their home.",
            G: "The accommodation is safe and suitable and meets the young person's needs, "
            "and staying put or staying close was considered. Moves are planned with the "
            "young person, who is supported to develop independence skills and to manage a "
            "tenancy.",
            RI: "The accommodation is safe but not fully suitable, or moves have been "
            "reactive rather than planned. Staying put or staying close was not clearly "
            "considered, and preparation for independent living is limited.",
            I: "The young person is in unsafe or unsuitable accommodation, such as bed and "
            "breakfast, or is homeless or at imminent risk of homelessness without an "
            "effective response. Moves are unplanned and the risks to the young person are "
            "not managed.",
        },
    ),
    "Education, employment and training": (
        "Whether the young person is in education, employment or training, and whether "
        "they are helped to achieve their ambitions.",
        {
            O: "The young person is in education, employment or training that matches their "
            "aspirations, and everyone around them holds high expectations. Support such as "
            "the bursary, apprenticeships, higher education and work experience is actively "
            "used, barriers are tackled quickly, and their achievements are celebrated.",
            G: "The young person is in education, employment or training, or there is a "
            "clear, active plan to get them there. Entitlements such as the bursary are known "
            "and used, and the personal adviser works with partners to keep them engaged.",
            RI: "The young person's education, employment or training is recorded, but plans "
            "to improve it are vague or not followed through. Entitlements and opportunities "
            "are not fully explored, and periods out of education or work are not challenged "
            "quickly.",
            I: "The young person is not in education, employment or training and there is no "
            "plan or active support to change this. Their aspirations are not known, "
            "entitlements are not offered, and they are drifting without help.",
        },
    ),
    "Health and wellbeing": (
        "Whether the young person's physical, emotional and mental health needs are known and met.",
        {
            O: "The young person's physical, emotional and mental health needs are fully "
            "understood and met, with timely access to specialist support. They have their "
            "health history, are registered with a GP and dentist, and are helped to manage "
            "their own health. Risks such as substance misuse or exploitation are identified "
            "early and met with effective multi-agency support.",
            G: "Health needs are known and met: the young person has their health history and "
            "is registered with a GP and dentist. Emotional and mental health needs are "
            "identified, with appropriate support or referral, and risks to their wellbeing "
            "are responded to.",
            RI: "Health needs are recorded but some are not followed up, for example "
            "outstanding appointments or no health history given. Emotional wellbeing is "
            "mentioned but support is not clearly in place, and the response to risk is "
            "slow.",
            I: "Significant health or mental health needs are not recognised or met, and the "
            "young person cannot reach basic health services. Risks such as self-harm, "
            "substance misuse or exploitation are not identified or acted on.",
        },
    ),
    "Relationships and the young person's voice": (
        "Whether important relationships are supported and whether the young person's "
        "views shape decisions about their life.",
        {
            O: "The young person's important relationships with family, brothers and "
            "sisters, former carers and friends are understood and actively nurtured. Their "
            "voice runs through the record, they shape decisions about their life and they "
            "know their entitlements under the local offer. They have at least one trusted "
            "adult and a strong sense of identity and belonging.",
            G: "Important relationships are known and supported, and the young person's "
            "views are recorded and influence their plan. They know about the local offer and "
            "how to raise a concern or complaint, and have a trusted adult to turn to.",
            RI: "Relationships are recorded but there is little active support to keep them "
            "going, and the young person's views are gathered but do not clearly influence "
            "decisions. Their understanding of their entitlements is unclear.",
            I: "The young person is isolated, with no support for important relationships, "
            "and their views are not sought or are ignored. They do not know their "
            "entitlements or who to turn to, and risks from harmful relationships are not "
            "recognised.",
        },
    ),
}
