"""The provisions of the Housing Ombudsman's Complaint Handling Code (2024, statutory since
1 April 2024) that the annual self-assessment (the Code's Appendix A form) asks a landlord to
answer, in the form's numbering, each in the Code's own words (the "Code requirement" column of
the form). The complaints lead answers every one, with evidence.

The wording is the Code's, as published by the Ombudsman and reproduced in the Appendix A forms
landlords publish; 1.2 is also quoted in the project's regulation notes. Only provisions whose
published wording has been checked word for word are listed here: a provision is added with its
wording, never with a paraphrase, so that an answer is always recorded against the Code's own
requirement and its own number.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Provision:
    number: str  # "6.2"
    section: str
    wording: str  # the Code's requirement, word for word; paragraphs separated by newlines

    @property
    def key(self) -> str:
        """For URLs: "6-2"."""
        return self.number.replace(".", "-")

    @property
    def paragraphs(self) -> list[str]:
        return self.wording.split("\n")


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

_PROVISIONS = [
    (
        "1.2",
        "A complaint must be defined as: ‘an expression of dissatisfaction, however made, about "
        "the standard of service, actions or lack of action by the landlord, its own staff, or "
        "those acting on its behalf, affecting a resident or group of residents.’",
    ),
    (
        "1.3",
        "A resident does not have to use the word ‘complaint’ for it to be treated as such. "
        "Whenever a resident expresses dissatisfaction landlords must give them the choice to "
        "make complaint. A complaint that is submitted via a third party or representative must "
        "be handled in line with the landlord’s complaints policy.",
    ),
    (
        "1.4",
        "Landlords must recognise the difference between a service request and a complaint. "
        "This must be set out in their complaints policy. A service request is a request from a "
        "resident to the landlord requiring action to be taken to put something right. Service "
        "requests are not complaints, but must be recorded, monitored and reviewed regularly.",
    ),
    (
        "1.5",
        "A complaint must be raised when the resident expresses dissatisfaction with the "
        "response to their service request, even if the handling of the service request remains "
        "ongoing. Landlords must not stop their efforts to address the service request if the "
        "resident complains.",
    ),
    (
        "2.1",
        "Landlords must accept a complaint unless there is a valid reason not to do so. If "
        "landlords decide not to accept a complaint they must be able to evidence their "
        "reasoning. Each complaint must be considered on its own merits.",
    ),
    (
        "2.2",
        "A complaints policy must set out the circumstances in which a matter will not be "
        "considered as a complaint or escalated, and these circumstances must be fair and "
        "reasonable to residents. Acceptable exclusions include:\n"
        "The issue giving rise to the complaint occurred over twelve months ago.\n"
        "Legal proceedings have started. This is defined as details of the claim, such as the "
        "Claim Form and Particulars of Claim, having been filed at court.\n"
        "Matters that have previously been considered under the complaints policy.",
    ),
    (
        "2.3",
        "Landlords must accept complaints referred to them within 12 months of the issue "
        "occurring or the resident becoming aware of the issue, unless they are excluded on "
        "other grounds. Landlords must consider whether to apply discretion to accept complaints "
        "made outside this time limit where there are good reasons to do so.",
    ),
    (
        "3.1",
        "Landlords must make it easy for residents to complain by providing different channels "
        "through which they can make a complaint. Landlords must consider their duties under "
        "the Equality Act 2010 and anticipate the needs and reasonable adjustments of residents "
        "who may need to access the complaints process.",
    ),
    (
        "3.2",
        "Residents must be able to raise their complaints in any way and with any member of "
        "staff. All staff must be aware of the complaints process and be able to pass details "
        "of the complaint to the appropriate person within the landlord.",
    ),
    (
        "4.1",
        "Landlords must have a person or team assigned to take responsibility for complaint "
        "handling, including liaison with the Ombudsman and ensuring complaints are reported to "
        "the governing body (or equivalent). This Code will refer to that person or team as the "
        "‘complaints officer’. This role may be in addition to other duties.",
    ),
    (
        "4.2",
        "The complaints officer must have access to staff at all levels to facilitate the "
        "prompt resolution of complaints. They must also have the authority and autonomy to act "
        "to resolve disputes promptly and fairly.",
    ),
    (
        "4.3",
        "Landlords are expected to prioritise complaint handling and a culture of learning from "
        "complaints. All relevant staff must be suitably trained in the importance of complaint "
        "handling. It is important that complaints are seen as a core service and must be "
        "resourced to handle complaints effectively.",
    ),
    (
        "5.1",
        "Landlords must have a single policy in place for dealing with complaints covered by "
        "this Code. Residents must not be treated differently if they complain.",
    ),
    (
        "5.2",
        "The early and local resolution of issues between landlords and residents is key to "
        "effective complaint handling. It is not appropriate to have extra named stages (such "
        "as ‘stage 0’ or ‘informal complaint’) as this causes unnecessary confusion.",
    ),
    (
        "5.3",
        "A process with more than two stages is not acceptable under any circumstances as this "
        "will make the complaint process unduly long and delay access to the Ombudsman.",
    ),
    (
        "5.4",
        "Where a landlord’s complaint response is handled by a third party (e.g. a contractor or "
        "independent adjudicator) at any stage, it must form part of the two stage complaints "
        "process set out in this Code. Residents must not be expected to go through two "
        "complaints processes.",
    ),
    (
        "5.5",
        "Landlords are responsible for ensuring that any third parties handle complaints in line "
        "with the Code.",
    ),
    (
        "6.1",
        "Landlords must have processes in place to consider which complaints can be responded "
        "to as early as possible, and which require further investigation. Landlords must "
        "consider factors such as the complexity of the complaint and whether the resident is "
        "vulnerable or at risk. Most stage 1 complaints can be resolved promptly, and an "
        "explanation, apology or resolution provided to the resident.",
    ),
    (
        "6.2",
        "Complaints must be acknowledged, defined and logged at stage 1 of the complaints "
        "procedure within five working days of the complaint being received.",
    ),
    (
        "6.3",
        "Landlords must issue a full response to stage 1 complaints within 10 working days of "
        "the complaint being acknowledged.",
    ),
    (
        "6.4",
        "Landlords must decide whether an extension to this timescale is needed when "
        "considering the complexity of the complaint and then inform the resident of the "
        "expected timescale for response. Any extension must be no more than 10 working days "
        "without good reason, and the reason(s) must be clearly explained to the resident.",
    ),
    (
        "6.5",
        "When an organisation informs a resident about an extension to these timescales, they "
        "must be provided with the contact details of the Ombudsman.",
    ),
    (
        "6.10",
        "If all or part of the complaint is not resolved to the resident’s satisfaction at "
        "stage 1, it must be progressed to stage 2 of the landlord’s procedure. Stage 2 is the "
        "landlord’s final response.",
    ),
    (
        "6.11",
        "Requests for stage 2 must be acknowledged, defined and logged at stage 2 of the "
        "complaints procedure within five working days of the escalation request being "
        "received.",
    ),
    (
        "6.12",
        "Residents must not be required to explain their reasons for requesting a stage 2 "
        "consideration. Landlords are expected to make reasonable efforts to understand why a "
        "resident remains unhappy as part of its stage 2 response.",
    ),
    (
        "6.13",
        "The person considering the complaint at stage 2 must not be the same person that "
        "considered the complaint at stage 1.",
    ),
    (
        "7.1",
        "Where something has gone wrong a landlord must acknowledge this and set out the actions "
        "it has already taken, or intends to take, to put things right. These can include:\n"
        "Apologising;\n"
        "Acknowledging where things have gone wrong;\n"
        "Providing an explanation, assistance or reasons;\n"
        "Taking action if there has been delay;\n"
        "Reconsidering or changing a decision;\n"
        "Amending a record or adding a correction or addendum;\n"
        "Providing a financial remedy;\n"
        "Changing policies, procedures or practices.",
    ),
    (
        "7.2",
        "Any remedy offered must reflect the impact on the resident as a result of any fault "
        "identified.",
    ),
    (
        "7.3",
        "The remedy offer must clearly set out what will happen and by when, in agreement with "
        "the resident where appropriate. Any remedy proposed must be followed through to "
        "completion.",
    ),
    (
        "7.4",
        "Landlords must take account of the guidance issued by the Ombudsman when deciding on "
        "appropriate remedies.",
    ),
    (
        "9.1",
        "Landlords must look beyond the circumstances of the individual complaint and consider "
        "whether service improvements can be made as a result of any learning from the "
        "complaint.",
    ),
    (
        "9.2",
        "A positive complaint handling culture is integral to the effectiveness with which "
        "landlords resolve disputes. Landlords must use complaints as a source of intelligence "
        "to identify issues and introduce positive changes in service delivery.",
    ),
    (
        "9.3",
        "Accountability and transparency are also integral to a positive complaint handling "
        "culture. Landlords must report back on wider learning and improvements from complaints "
        "to stakeholders, such as residents’ panels, staff and relevant committees.",
    ),
    (
        "9.4",
        "Landlords must appoint a suitably senior lead person as accountable for their "
        "complaint handling. This person must assess any themes or trends to identify potential "
        "systemic issues, serious risks, or policies and procedures that require revision.",
    ),
]

PROVISIONS: tuple[Provision, ...] = tuple(
    Provision(number, _SECTIONS[number.split(".")[0]], wording) for number, wording in _PROVISIONS
)
PROVISIONS_BY_KEY: dict[str, Provision] = {p.key: p for p in PROVISIONS}
