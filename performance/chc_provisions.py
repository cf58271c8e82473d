"""Every provision of the Housing Ombudsman's Complaint Handling Code (2024, statutory since
1 April 2024), numbered as the Code numbers them, for the annual self-assessment (the Code's
Appendix A form). The complaints lead answers every one, with evidence.

Each requirement is stated here in our own plain words: a close paraphrase that keeps every
duty, time limit and "must" or "should" of the provision, so that the complaints lead knows
what is being assessed. It is not the Code's text: the exact wording is the Ombudsman's, and
every page that shows a provision links to the published Code (CODE_URL) for it.

`wording_checked` says whether the provision's number and content were checked against
published copies of the Code's Appendix A form (landlords' self-assessments print the form's
text beside each number). Where it is False the provision is listed from the Code's structure
and our reading of it, and its number and content are still to be checked against the Code.
"""

from __future__ import annotations

from dataclasses import dataclass

CODE_URL = "https://www.housing-ombudsman.org.uk/landlords-info/complaint-handling-code/"


@dataclass(frozen=True)
class Provision:
    number: str  # "6.2"
    section: str
    requirement: str  # in our words; list items separated by newlines
    wording_checked: bool = True

    @property
    def key(self) -> str:
        """For URLs: "6-2"."""
        return self.number.replace(".", "-")

    @property
    def paragraphs(self) -> list[str]:
        return self.requirement.split("\n")


_SECTIONS = {
    "1": "Definition of a complaint",
    "2": "Exclusions",
    "3": "Accessibility and awareness",
    "4": "Complaint handling staff",
    "5": "The complaint handling process",
    "6": "Complaints stages",
    "7": "Putting things right",
    "8": "Self-assessment, reporting and compliance",
    "9": "Scrutiny and oversight: continuous learning and improvement",
}

# Section 6 has two parts, stage 1 (6.1 to 6.9) and stage 2 (6.10 onwards).
_STAGE_2_FROM = 10


def _section(number: str) -> str:
    section, item = number.split(".")
    if section == "6":
        stage = 2 if int(item) >= _STAGE_2_FROM else 1
        return f"{_SECTIONS[section]}: stage {stage}"
    return _SECTIONS[section]


_UNCHECKED = False

_PROVISIONS: list[tuple[str, str] | tuple[str, str, bool]] = [
    # 1. Definition of a complaint
    (
        "1.1",
        "Handling complaints well lets residents be heard and understood, and that starts with "
        "everyone sharing one understanding of what a complaint is.",
        _UNCHECKED,
    ),
    (
        "1.2",
        "The landlord must use the Code's definition of a complaint: any expression of "
        "dissatisfaction, however it is made, about the standard of service, or about what the "
        "landlord, its staff or anyone acting for it did or failed to do, that affects a "
        "resident or a group of residents.",
    ),
    (
        "1.3",
        "A resident need not use the word 'complaint' for it to be treated as one. Whenever a "
        "resident expresses dissatisfaction, the landlord must offer them the choice of making "
        "a complaint. A complaint made through a third party or representative must be handled "
        "under the landlord's complaints policy like any other.",
    ),
    (
        "1.4",
        "The landlord must tell a service request (a resident asking the landlord to act to put "
        "something right) apart from a complaint, and its complaints policy must say how. "
        "Service requests are not complaints, but they must be recorded, monitored and "
        "reviewed regularly.",
    ),
    (
        "1.5",
        "When a resident is dissatisfied with the response to a service request, a complaint "
        "must be raised, even while the service request is still being dealt with. The landlord "
        "must keep working on the service request after the resident complains.",
    ),
    (
        "1.6",
        "Dissatisfaction expressed in answer to a survey is not a complaint, but where possible "
        "the person answering should be told how to complain if they want to. When the landlord "
        "asks for wider feedback on its services, it must also tell residents how to complain.",
        _UNCHECKED,
    ),
    # 2. Exclusions
    (
        "2.1",
        "The landlord must accept a complaint unless it has a valid reason not to, and must be "
        "able to evidence its reasons when it does not. Every complaint must be considered on "
        "its own merits.",
    ),
    (
        "2.2",
        "The complaints policy must set out when a matter will not be treated as a complaint or "
        "escalated, and those circumstances must be fair and reasonable to residents. "
        "Acceptable exclusions include:\n"
        "the issue behind the complaint happened more than twelve months ago;\n"
        "legal proceedings have started, meaning the claim (such as the claim form and "
        "particulars of claim) has been filed at court;\n"
        "the matter has already been considered under the complaints policy.",
    ),
    (
        "2.3",
        "The landlord must accept complaints made within 12 months of the issue happening or of "
        "the resident becoming aware of it, unless another exclusion applies. It must consider "
        "using its discretion to accept a complaint made after that time where there are good "
        "reasons.",
    ),
    (
        "2.4",
        "When the landlord decides not to accept a complaint, it must explain to the resident "
        "why the matter is not suitable for the complaints process, and tell them they can take "
        "that decision to the Ombudsman. If the Ombudsman finds the exclusion was not applied "
        "fairly, it may tell the landlord to take the complaint on.",
    ),
    (
        "2.5",
        "The landlord must not exclude complaints by a blanket approach: it must look at the "
        "individual circumstances of each complaint.",
        _UNCHECKED,
    ),
    # 3. Accessibility and awareness
    (
        "3.1",
        "The landlord must make complaining easy by offering several channels for making a "
        "complaint. It must consider its duties under the Equality Act 2010 and anticipate the "
        "needs and reasonable adjustments of residents who may need to use the complaints "
        "process.",
    ),
    (
        "3.2",
        "Residents must be able to complain in any way and to any member of staff. All staff "
        "must know the complaints process and be able to pass a complaint on to the right "
        "person in the organisation.",
    ),
    (
        "3.3",
        "A high number of complaints must not be seen as a bad sign, since it can show that the "
        "process is well publicised and easy to use; a low number may be a sign that residents "
        "cannot complain.",
    ),
    (
        "3.4",
        "The landlord must make its complaints policy available to all residents in a clear and "
        "accessible format, describing the two stages, what happens at each and the time limits "
        "for responses. The policy must also be published on the landlord's website.",
        _UNCHECKED,
    ),
    (
        "3.5",
        "The policy must explain how the landlord will publicise the complaints policy, "
        "including information about the Ombudsman and the Code.",
        _UNCHECKED,
    ),
    (
        "3.6",
        "The landlord must give residents the chance to have a representative deal with their "
        "complaint for them, and to be represented or accompanied at any meeting with the "
        "landlord.",
        _UNCHECKED,
    ),
    (
        "3.7",
        "The landlord must tell residents about their right to use the Ombudsman's service and "
        "how they can engage with the Ombudsman about their complaint.",
        _UNCHECKED,
    ),
    # 4. Complaint handling staff
    (
        "4.1",
        "The landlord must give a person or team (the Code's 'complaints officer') "
        "responsibility for complaint handling, including dealing with the Ombudsman and making "
        "sure complaints are reported to the governing body or its equivalent. The role may sit "
        "alongside other duties.",
    ),
    (
        "4.2",
        "The complaints officer must be able to reach staff at every level so that complaints "
        "are resolved promptly, and must have the authority and independence to act to resolve "
        "disputes promptly and fairly.",
    ),
    (
        "4.3",
        "Landlords are expected to give complaint handling, and a culture of learning from "
        "complaints, priority. All relevant staff must be suitably trained in why complaint "
        "handling matters. Complaints should be treated as a core service and must be resourced "
        "so that they are handled effectively.",
    ),
    # 5. The complaint handling process
    (
        "5.1",
        "The landlord must have one policy for all complaints the Code covers, and residents "
        "must not be treated differently because they have complained.",
    ),
    (
        "5.2",
        "Resolving issues early and locally is central to good complaint handling, but there "
        "must be no extra named stages (such as a 'stage 0' or an 'informal complaint'), "
        "because they confuse residents.",
    ),
    (
        "5.3",
        "A process with more than two stages is never acceptable: it makes complaints take too "
        "long and delays residents' access to the Ombudsman.",
    ),
    (
        "5.4",
        "Where a third party (such as a contractor or an independent adjudicator) handles the "
        "landlord's complaint response at any stage, that must be part of the Code's two-stage "
        "process; residents must not have to go through two complaints processes.",
    ),
    (
        "5.5",
        "The landlord is responsible for making sure any third party handles complaints as the "
        "Code requires.",
    ),
    (
        "5.6",
        "When a complaint is logged at stage 1 or escalated to stage 2, the landlord must set "
        "out its understanding of the complaint and of the outcomes the resident wants (the "
        "'complaint definition'). If any part of the complaint is unclear, the landlord must ask "
        "the resident to clarify it.",
    ),
    (
        "5.7",
        "When acknowledging a complaint at either stage, the landlord must be clear which parts "
        "of it it is and is not responsible for, and clarify any part where that is unclear.",
        _UNCHECKED,
    ),
    (
        "5.8",
        "At every stage the person handling the complaint must:\n"
        "deal with it on its merits, act independently and have no conflict of interest;\n"
        "take steps to deal with any actual or perceived conflict of interest;\n"
        "consider all the information and evidence carefully.",
        _UNCHECKED,
    ),
    (
        "5.9",
        "Where a response will fall outside the Code's time limits, the landlord must agree with "
        "the resident how often it will keep them informed about the complaint.",
        _UNCHECKED,
    ),
    (
        "5.10",
        "The landlord must make reasonable adjustments for residents where the Equality Act 2010 "
        "makes them appropriate, keep a record of adjustments agreed and of any disability a "
        "resident has disclosed, and keep agreed adjustments under active review.",
        _UNCHECKED,
    ),
    (
        "5.11",
        "The landlord must not refuse to escalate a complaint through all the stages of its "
        "procedure without valid reasons, which it must set out clearly and which must comply "
        "with section 2 of the Code.",
        _UNCHECKED,
    ),
    (
        "5.12",
        "A full record must be kept of the complaint and of the outcome at each stage, including "
        "the original complaint and the date it was received, all correspondence with the "
        "resident and with others, and relevant supporting documents such as reports or "
        "surveys.",
        _UNCHECKED,
    ),
    (
        "5.13",
        "The landlord must have policies and procedures for managing unacceptable behaviour by "
        "residents or their representatives while they pursue a complaint.",
        _UNCHECKED,
    ),
    (
        "5.14",
        "Any restriction on contact because of unacceptable behaviour must be proportionate and "
        "show regard for the Equality Act 2010.",
        _UNCHECKED,
    ),
    # 6. Complaints stages: stage 1
    (
        "6.1",
        "The landlord must have processes for deciding which complaints can be answered early "
        "and which need further investigation, taking account of things such as how complex the "
        "complaint is and whether the resident is vulnerable or at risk. Most stage 1 complaints "
        "can be resolved promptly with an explanation, an apology or a resolution.",
    ),
    (
        "6.2",
        "A stage 1 complaint must be acknowledged, defined and logged within five working days "
        "of the complaint being received.",
    ),
    (
        "6.3",
        "The landlord must send a full stage 1 response within 10 working days of acknowledging "
        "the complaint.",
    ),
    (
        "6.4",
        "The landlord must decide, considering how complex the complaint is, whether it needs "
        "longer than that, and tell the resident when to expect the response. Without good "
        "reason an extension must be no more than 10 working days, and the reasons must be "
        "explained clearly to the resident.",
    ),
    (
        "6.5",
        "A resident told of an extension to these time limits must also be given the "
        "Ombudsman's contact details.",
    ),
    (
        "6.6",
        "The response must be sent once the answer to the complaint is known, not once every "
        "action needed to put the issue right is finished. Outstanding actions must still be "
        "tracked and carried out promptly, with the resident kept suitably updated.",
        _UNCHECKED,
    ),
    (
        "6.7",
        "The landlord must answer every point in the complaint definition and give clear "
        "reasons for each decision, referring to the relevant policy, law and good practice "
        "where appropriate.",
        _UNCHECKED,
    ),
    (
        "6.8",
        "Related new complaints a resident raises during the investigation must be included in "
        "the stage 1 response if it has not yet been sent. If it has been sent, or the new "
        "issues are unrelated, or including them would unreasonably delay the response, they "
        "must be logged as a new complaint.",
        _UNCHECKED,
    ),
    (
        "6.9",
        "At the end of stage 1 the landlord must confirm to the resident in writing, in clear "
        "and plain language:\n"
        "the complaint stage;\n"
        "the complaint definition;\n"
        "the decision on the complaint;\n"
        "the reasons for each decision;\n"
        "details of any remedy offered to put things right;\n"
        "details of any outstanding actions;\n"
        "how to escalate the complaint to stage 2 if the resident is not satisfied.",
        _UNCHECKED,
    ),
    # 6. Complaints stages: stage 2
    (
        "6.10",
        "If the complaint, or any part of it, is not resolved to the resident's satisfaction at "
        "stage 1, it must go on to stage 2 of the procedure. Stage 2 is the landlord's final "
        "response.",
    ),
    (
        "6.11",
        "A request for stage 2 must be acknowledged, defined and logged at stage 2 within five "
        "working days of the escalation request being received.",
    ),
    (
        "6.12",
        "Residents must not be required to give reasons for asking for stage 2. The landlord is "
        "expected to make reasonable efforts to understand why the resident is still unhappy, "
        "as part of its stage 2 response.",
    ),
    (
        "6.13",
        "The complaint must be considered at stage 2 by a different person from the one who "
        "considered it at stage 1.",
    ),
    (
        "6.14",
        "The landlord must send its stage 2 response within 20 working days of acknowledging "
        "the stage 2 request.",
        _UNCHECKED,
    ),
    (
        "6.15",
        "The landlord must decide, considering how complex the complaint is, whether it needs "
        "longer than that, and tell the resident when to expect the response. Without good "
        "reason an extension must be no more than 20 working days, and the reasons must be "
        "explained clearly to the resident.",
        _UNCHECKED,
    ),
    (
        "6.16",
        "A resident told of an extension to these time limits must also be given the "
        "Ombudsman's contact details.",
        _UNCHECKED,
    ),
    (
        "6.17",
        "The stage 2 response must be sent once the answer to the complaint is known, not once "
        "every action needed to put the issue right is finished. Outstanding actions must still "
        "be tracked and carried out promptly, with the resident kept suitably updated.",
        _UNCHECKED,
    ),
    (
        "6.18",
        "The landlord must answer every point in the complaint definition and give clear "
        "reasons for each decision, referring to the relevant policy, law and good practice "
        "where appropriate.",
        _UNCHECKED,
    ),
    (
        "6.19",
        "At the end of stage 2 the landlord must confirm to the resident in writing, in clear "
        "and plain language:\n"
        "the complaint stage;\n"
        "the complaint definition;\n"
        "the decision on the complaint;\n"
        "the reasons for each decision;\n"
        "details of any remedy offered to put things right;\n"
        "details of any outstanding actions;\n"
        "how to take the complaint to the Ombudsman if the resident is still dissatisfied.",
        _UNCHECKED,
    ),
    (
        "6.20",
        "Stage 2 is the landlord's final response, and it must involve every member of staff "
        "suitable and needed to give that response.",
        _UNCHECKED,
    ),
    # 7. Putting things right
    (
        "7.1",
        "Where something has gone wrong, the landlord must say so and set out what it has done "
        "or will do to put it right. This can include:\n"
        "apologising;\n"
        "acknowledging where things went wrong;\n"
        "giving an explanation, help or reasons;\n"
        "acting on any delay;\n"
        "reconsidering or changing a decision;\n"
        "amending a record, or adding a correction or addendum;\n"
        "offering a financial remedy;\n"
        "changing policies, procedures or practices.",
    ),
    (
        "7.2",
        "Any remedy offered must reflect the impact on the resident of the fault found.",
    ),
    (
        "7.3",
        "The remedy offer must say clearly what will happen and when, agreed with the resident "
        "where appropriate, and any remedy proposed must be carried through to completion.",
    ),
    (
        "7.4",
        "When deciding on remedies, the landlord must take account of the Ombudsman's guidance "
        "on remedies.",
    ),
    # 8. Self-assessment, reporting and compliance
    (
        "8.1",
        "The landlord must produce an annual complaints performance and service improvement "
        "report for scrutiny and challenge, containing:\n"
        "the annual self-assessment against the Code, so that its complaints policy stays in "
        "line with the Code;\n"
        "a qualitative and quantitative analysis of its complaint handling performance, "
        "including a summary of the kinds of complaint it refused to accept;\n"
        "any findings by the Ombudsman that it has not complied with the Code;\n"
        "the service improvements made from learning from complaints;\n"
        "any annual report from the Ombudsman about its performance;\n"
        "any other relevant reports or publications the Ombudsman has produced about its work.",
    ),
    (
        "8.2",
        "The annual report must go to the governing body (or equivalent) and be published in "
        "the complaints section of the landlord's website, with the governing body's response "
        "to it published alongside.",
        _UNCHECKED,
    ),
    (
        "8.3",
        "The landlord must also carry out a self-assessment after a significant restructure, "
        "merger or change in procedures, or after significant staff turnover that may affect "
        "its ability to handle complaints effectively.",
        _UNCHECKED,
    ),
    (
        "8.4",
        "Where exceptional circumstances (such as a cyber incident) stop the landlord complying "
        "with the Code, it must tell the Ombudsman, give information to residents who may be "
        "affected, publish this on its website, and give a timescale for returning to "
        "compliance.",
        _UNCHECKED,
    ),
    # 9. Scrutiny and oversight: continuous learning and improvement
    (
        "9.1",
        "The landlord must look beyond the individual complaint and consider whether what it "
        "learnt from the complaint can improve its services.",
    ),
    (
        "9.2",
        "A positive complaint handling culture is essential to resolving disputes well. The "
        "landlord must use complaints as intelligence to find problems and make positive "
        "changes to how it delivers services.",
    ),
    (
        "9.3",
        "Accountability and transparency are also essential to that culture. The landlord must "
        "report the wider learning and improvements from complaints back to stakeholders such as "
        "residents' panels, staff and relevant committees.",
    ),
    (
        "9.4",
        "The landlord must appoint a suitably senior lead person as accountable for its "
        "complaint handling, who must assess themes and trends to find possible systemic "
        "issues, serious risks, or policies and procedures that need revising.",
    ),
    (
        "9.5",
        "In addition, a member of the governing body (or equivalent) must be appointed to lead "
        "on complaints and support a positive complaint handling culture (the Code's 'Member "
        "Responsible for Complaints', or MRC).",
    ),
    (
        "9.6",
        "The MRC is responsible for making sure the governing body regularly receives "
        "information on complaints that gives insight into the landlord's complaint handling "
        "performance, and must have access to suitable information and staff to do this and to "
        "report on what they find.",
        _UNCHECKED,
    ),
    (
        "9.7",
        "As a minimum, the MRC and the governing body (or equivalent) must receive:\n"
        "regular updates on the volume, categories and outcomes of complaints, with complaint "
        "handling performance;\n"
        "regular reviews of issues and trends arising from complaint handling;\n"
        "regular updates on the outcomes of the Ombudsman's investigations and on progress in "
        "complying with orders made after findings of severe maladministration;\n"
        "the annual complaints performance and service improvement report.",
    ),
    (
        "9.8",
        "The landlord must set a standard objective on complaint handling for all relevant "
        "employees and third parties, reflecting the need to:\n"
        "work collaboratively and co-operatively with colleagues across teams and departments "
        "to resolve complaints;\n"
        "take collective responsibility for shortfalls that complaints reveal, rather than "
        "blaming others;\n"
        "act within any relevant professional body's standards for engaging with complaints.",
        _UNCHECKED,
    ),
]

PROVISIONS: tuple[Provision, ...] = tuple(
    Provision(row[0], _section(row[0]), row[1], *row[2:]) for row in _PROVISIONS
)
PROVISIONS_BY_KEY: dict[str, Provision] = {p.key: p for p in PROVISIONS}
