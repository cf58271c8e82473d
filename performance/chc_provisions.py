"""The provisions of the Housing Ombudsman's Complaint Handling Code (2024) that the annual
self-assessment (the Code's Appendix A form) asks a landlord to answer, in the Code's numbering,
each summarised in a line. The complaints lead answers every one, with evidence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Provision:
    number: str  # "6.2"
    section: str
    summary: str

    @property
    def key(self) -> str:
        """For URLs: "6-2"."""
        return self.number.replace(".", "-")


_SECTIONS = {
    "1": "Definition of a complaint",
    "2": "Exclusions",
    "3": "Accessibility and awareness",
    "4": "Complaint handling staff",
    "5": "The complaint handling process",
    "6": "Complaint stages",
    "7": "Putting things right",
    "8": "Self-assessment, reporting and compliance",
    "9": "Scrutiny and oversight",
}

_PROVISIONS = [
    (
        "1.2",
        "A complaint is any expression of dissatisfaction, however made, about our service, actions or lack of action.",
    ),
    (
        "1.3",
        "A resident need not use the word complaint; we offer the choice to complain whenever dissatisfaction is expressed.",
    ),
    ("1.4", "Service requests are recorded, monitored and reviewed, and are not complaints."),
    (
        "1.5",
        "Dissatisfaction with how a service request is handled is raised as a complaint while the request continues.",
    ),
    ("1.7", "Survey feedback saying a resident is dissatisfied tells them how to complain."),
    (
        "2.1",
        "A complaint is accepted unless there is a valid reason not to, set out in our policy.",
    ),
    ("2.3", "Exclusions are fair; a refusal is explained with the right to go to the Ombudsman."),
    ("2.6", "We do not take a blanket approach to excluding complaints."),
    ("3.1", "Residents can complain easily and by any channel, with reasonable adjustments."),
    ("3.3", "Our complaints policy is published, accessible and in plain language."),
    (
        "3.5",
        "We publicise the Ombudsman and the Code, and residents' right to go to the Ombudsman.",
    ),
    (
        "4.1",
        "A named person has lead responsibility for complaint handling, with the authority to act.",
    ),
    ("4.3", "Staff handling complaints are trained and have the autonomy to resolve them."),
    ("5.1", "Our process has two stages; no extra named stages."),
    (
        "5.6",
        "Each complaint is acknowledged, defined and logged, and the outcome sought is understood.",
    ),
    ("5.8", "We keep residents regularly updated on their complaint."),
    ("5.11", "We keep a full record of each complaint and its outcome."),
    ("6.2", "Stage 1 complaints are acknowledged, defined and logged within 5 working days."),
    ("6.3", "Stage 1 responses are given within 10 working days of acknowledgement."),
    (
        "6.4",
        "Stage 1 extensions are no longer than 10 working days without good reason, with reasons given.",
    ),
    (
        "6.9",
        "Stage 1 responses give the stage, the definition, the decision, the reasons, any remedy, outstanding actions and how to escalate.",
    ),
    ("6.11", "Stage 2 requests are acknowledged, defined and logged within 5 working days."),
    ("6.13", "Stage 2 is handled by a different person from stage 1."),
    ("6.15", "Stage 2 responses are given within 20 working days of acknowledgement."),
    ("6.19", "Stage 2 responses give the same content as stage 1 and how to go to the Ombudsman."),
    (
        "7.1",
        "Where something has gone wrong we acknowledge it and set out what we will do to put it right.",
    ),
    (
        "8.1",
        "We produce an annual complaints performance and service improvement report for the governing body, published with its response.",
    ),
    (
        "8.2",
        "We complete the self-assessment annually, and after a significant restructure or merger.",
    ),
    ("9.1", "Complaints data is used to learn and improve services."),
    ("9.6", "A member of the governing body has lead responsibility for complaints."),
    ("9.7", "The governing body receives regular information on complaints and the annual report."),
]

PROVISIONS: tuple[Provision, ...] = tuple(
    Provision(number, _SECTIONS[number.split(".")[0]], summary) for number, summary in _PROVISIONS
)
PROVISIONS_BY_KEY: dict[str, Provision] = {p.key: p for p in PROVISIONS}
