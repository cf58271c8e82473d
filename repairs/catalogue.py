"""The repairs catalogue: the common problems a customer can report, grouped by room or area.

Each entry says who is responsible for putting it right, in plain English, and what happens when
the customer picks it: a landlord entry becomes a repair job with a trade and a priority; a
tenant entry ends with advice (and says whether we would charge for doing it); a utility entry
sends the customer to the company that owns the pipes or cables.

The catalogue is code, not data: the wording is reviewed with the repairs policy, and every
repair keeps the code, title, trade and priority it was raised with, so a later edit here never
changes a repair already reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Trade(models.TextChoices):
    PLUMBING = "plumbing", "Plumbing"
    HEATING = "heating", "Heating and gas"
    ELECTRICAL = "electrical", "Electrical"
    CARPENTRY = "carpentry", "Carpentry"
    LOCKSMITH = "locksmith", "Locks and doors"
    GLAZING = "glazing", "Glazing"
    ROOFING = "roofing", "Roofing and gutters"
    DRAINAGE = "drainage", "Drainage"
    PLASTERING = "plastering", "Plastering"
    DAMP = "damp", "Damp and mould"
    LIFTS = "lifts", "Lifts"
    GENERAL = "general", "General repairs"


class Priority(models.TextChoices):
    EMERGENCY = "emergency", "Emergency (within 24 hours)"
    URGENT = "urgent", "Urgent (within 5 working days)"
    ROUTINE = "routine", "Routine (within 20 working days)"


class Responsibility(models.TextChoices):
    LANDLORD = "landlord", "We repair it"
    TENANT = "tenant", "You repair it"
    LEASEHOLDER = "leaseholder", "You repair it (your lease)"
    UTILITY = "utility", "The utility company repairs it"


class Location(models.TextChoices):
    HOME = "home", "In my home"
    COMMUNAL = "communal", "In a shared (communal) area of my building"


class HazardType(models.TextChoices):
    DAMP_MOULD = "damp_mould", "Damp and mould"
    ELECTRICAL = "electrical", "Electrical hazard"
    STRUCTURAL = "structural", "Structural collapse"


@dataclass(frozen=True)
class Area:
    code: str
    label: str
    communal: bool = False


@dataclass(frozen=True)
class Item:
    code: str
    area: str
    label: str
    trade: str
    priority: str
    responsibility: str
    explanation: str
    rechargeable: bool = False
    advice: str = ""
    hazard_type: str = ""

    @property
    def becomes_a_job(self) -> bool:
        return self.responsibility == Responsibility.LANDLORD

    @property
    def responsibility_label(self) -> str:
        return str(Responsibility(self.responsibility).label)


AREAS: tuple[Area, ...] = (
    Area("kitchen", "Kitchen"),
    Area("bathroom", "Bathroom and toilet"),
    Area("heating", "Heating and hot water"),
    Area("water", "Water, leaks and drains"),
    Area("electrics", "Electrics, lights and alarms"),
    Area("doors_windows", "Doors, locks and windows"),
    Area("inside", "Walls, ceilings, floors and stairs"),
    Area("damp_hazards", "Damp, mould and danger"),
    Area("outside", "Roof, outside walls and garden"),
    Area("communal_access", "Entrances, doors and lifts", communal=True),
    Area("communal_inside", "Stairs, corridors and lighting", communal=True),
    Area("communal_outside", "Bin stores, roofs and grounds", communal=True),
)

_TENANT_RECHARGE = (
    "If you ask us to do it, we will charge you for the work. We will tell you the cost "
    "before we start."
)

ITEMS: tuple[Item, ...] = (
    # Kitchen
    Item(
        "kitchen.tap",
        "kitchen",
        "Dripping or loose tap",
        Trade.PLUMBING,
        "routine",
        "landlord",
        "Taps, sinks and the pipes to them are ours to repair.",
    ),
    Item(
        "kitchen.sink_blocked",
        "kitchen",
        "Blocked sink",
        Trade.DRAINAGE,
        "routine",
        "tenant",
        "Keeping sinks clear is part of looking after your home.",
        rechargeable=True,
        advice="Use a plunger or a sink unblocker from a supermarket or DIY shop. Do not pour "
        "fat or oil down the sink. If water is coming up from an outside drain, report "
        "a blocked drain instead.",
    ),
    Item(
        "kitchen.units",
        "kitchen",
        "Broken cupboard door, drawer or hinge",
        Trade.CARPENTRY,
        "routine",
        "landlord",
        "Kitchen units we fitted are ours to repair.",
    ),
    Item(
        "kitchen.worktop",
        "kitchen",
        "Damaged or loose worktop",
        Trade.CARPENTRY,
        "routine",
        "landlord",
        "Worktops we fitted are ours to repair.",
    ),
    Item(
        "kitchen.extractor",
        "kitchen",
        "Kitchen extractor fan not working",
        Trade.ELECTRICAL,
        "routine",
        "landlord",
        "Extractor fans help stop damp and mould, so we repair them.",
    ),
    Item(
        "kitchen.appliance",
        "kitchen",
        "Your own cooker, fridge or washing machine",
        Trade.GENERAL,
        "routine",
        "tenant",
        "Appliances you own are yours to repair.",
        advice="Contact the shop or maker, or your home contents insurer. If a gas cooker "
        "smells of gas, turn it off and call the National Gas Emergency Service.",
    ),
    # Bathroom and toilet
    Item(
        "bathroom.toilet_flush",
        "bathroom",
        "Toilet not flushing",
        Trade.PLUMBING,
        "urgent",
        "landlord",
        "Toilets and cisterns are ours to repair.",
    ),
    Item(
        "bathroom.toilet_blocked",
        "bathroom",
        "Toilet blocked",
        Trade.DRAINAGE,
        "urgent",
        "landlord",
        "We clear blocked toilets. If the blockage was caused by something that should not "
        "be flushed, such as wipes or nappies, we may charge you.",
    ),
    Item(
        "bathroom.toilet_seat",
        "bathroom",
        "Broken toilet seat",
        Trade.PLUMBING,
        "routine",
        "tenant",
        "Toilet seats are yours to replace.",
        rechargeable=True,
        advice="Toilet seats are sold in supermarkets and DIY shops and fit with two bolts.",
    ),
    Item(
        "bathroom.sealant",
        "bathroom",
        "Split or mouldy sealant around the bath or shower",
        Trade.PLUMBING,
        "routine",
        "tenant",
        "Renewing sealant is part of looking after your home.",
        rechargeable=True,
        advice="Cut out the old sealant and apply bathroom sealant from a DIY shop. If water is "
        "leaking through to a room below, report a leak instead.",
    ),
    Item(
        "bathroom.shower",
        "bathroom",
        "Shower not working",
        Trade.ELECTRICAL,
        "urgent",
        "landlord",
        "Showers we fitted are ours to repair.",
    ),
    Item(
        "bathroom.leak",
        "bathroom",
        "Leak from the bath, basin or pipes",
        Trade.PLUMBING,
        "urgent",
        "landlord",
        "Leaks from our pipes and fittings are ours to repair.",
    ),
    Item(
        "bathroom.extractor",
        "bathroom",
        "Bathroom extractor fan not working",
        Trade.ELECTRICAL,
        "routine",
        "landlord",
        "Extractor fans help stop damp and mould, so we repair them.",
    ),
    # Heating and hot water
    Item(
        "heating.none",
        "heating",
        "No heating and no hot water",
        Trade.HEATING,
        "urgent",
        "landlord",
        "Boilers, radiators and hot water systems are ours to repair.",
    ),
    Item(
        "heating.no_heating",
        "heating",
        "Hot water works but there is no heating",
        Trade.HEATING,
        "urgent",
        "landlord",
        "Boilers and radiators are ours to repair.",
    ),
    Item(
        "heating.radiator",
        "heating",
        "One radiator cold or leaking",
        Trade.HEATING,
        "routine",
        "landlord",
        "Radiators and their valves are ours to repair.",
    ),
    Item(
        "heating.pressure",
        "heating",
        "Boiler keeps losing pressure",
        Trade.HEATING,
        "urgent",
        "landlord",
        "Boilers are ours to repair.",
    ),
    # Water, leaks and drains
    Item(
        "water.none",
        "water",
        "No water from any tap",
        Trade.PLUMBING,
        "urgent",
        "landlord",
        "The pipes inside your home and up to the boundary are ours to repair. Check first "
        "whether your neighbours have water: if not, it is the water company.",
    ),
    Item(
        "water.flooding",
        "water",
        "Flooding, or a leak you cannot stop",
        Trade.PLUMBING,
        "emergency",
        "landlord",
        "Leaks from our pipes are ours to repair.",
    ),
    Item(
        "water.ceiling",
        "water",
        "Water coming through a ceiling",
        Trade.PLUMBING,
        "urgent",
        "landlord",
        "Leaks from our pipes and roofs are ours to repair.",
    ),
    Item(
        "water.drain",
        "water",
        "Blocked outside drain or manhole",
        Trade.DRAINAGE,
        "urgent",
        "landlord",
        "Drains that serve only your home are ours to repair.",
    ),
    Item(
        "water.street",
        "water",
        "Burst water main or no water in the whole street",
        Trade.PLUMBING,
        "routine",
        "utility",
        "The water company owns the mains in the street.",
        advice="Call your water company's emergency line. Their number is on your water bill.",
    ),
    # Electrics, lights and alarms
    Item(
        "electrics.no_power",
        "electrics",
        "No power anywhere in the home",
        Trade.ELECTRICAL,
        "urgent",
        "landlord",
        "The wiring in your home is ours to repair. If the whole street is off, it is the "
        "network operator: call 105.",
    ),
    Item(
        "electrics.socket",
        "electrics",
        "Broken socket or light switch",
        Trade.ELECTRICAL,
        "urgent",
        "landlord",
        "Sockets and switches are ours to repair.",
    ),
    Item(
        "electrics.light",
        "electrics",
        "Ceiling light fitting not working",
        Trade.ELECTRICAL,
        "routine",
        "landlord",
        "Light fittings we installed are ours to repair.",
    ),
    Item(
        "electrics.bulb",
        "electrics",
        "A light bulb needs replacing",
        Trade.ELECTRICAL,
        "routine",
        "tenant",
        "Light bulbs are yours to replace.",
        rechargeable=True,
        advice="Turn the light off at the switch and let the bulb cool before you change it.",
    ),
    Item(
        "electrics.alarm",
        "electrics",
        "Smoke or carbon monoxide alarm beeping or not working",
        Trade.ELECTRICAL,
        "urgent",
        "landlord",
        "Alarms keep you safe, so we check and repair them.",
    ),
    Item(
        "electrics.street",
        "electrics",
        "Power cut in the whole street",
        Trade.ELECTRICAL,
        "routine",
        "utility",
        "The network operator owns the cables in the street.",
        advice="Call 105, the free power cut number, from any phone.",
    ),
    Item(
        "electrics.wiring",
        "electrics",
        "Exposed, burnt or sparking wiring",
        Trade.ELECTRICAL,
        "emergency",
        "landlord",
        "Dangerous wiring is ours to make safe straight away.",
        hazard_type=HazardType.ELECTRICAL,
    ),
    # Doors, locks and windows
    Item(
        "doors.wont_lock",
        "doors_windows",
        "Front or back door will not lock",
        Trade.LOCKSMITH,
        "emergency",
        "landlord",
        "We make your home secure. If a lock was broken to get in after keys were lost, we "
        "may charge you.",
    ),
    Item(
        "doors.lost_keys",
        "doors_windows",
        "Lost keys or locked out",
        Trade.LOCKSMITH,
        "routine",
        "tenant",
        "Keys are yours to look after.",
        rechargeable=True,
        advice="Call a locksmith. If you ask us to let you in or change the locks, we will "
        "charge you.",
    ),
    Item(
        "doors.internal",
        "doors_windows",
        "Inside door sticking or damaged",
        Trade.CARPENTRY,
        "routine",
        "landlord",
        "Doors we fitted are ours to repair. Damage caused by your household we may charge for.",
    ),
    Item(
        "windows.wont_close",
        "doors_windows",
        "Window will not close or lock",
        Trade.GLAZING,
        "urgent",
        "landlord",
        "Windows are ours to repair.",
    ),
    Item(
        "windows.glass",
        "doors_windows",
        "Broken or cracked glass",
        Trade.GLAZING,
        "urgent",
        "landlord",
        "We replace broken glass. If it was broken by someone in your household we may charge "
        "you; if by a crime, please give us the police crime number.",
    ),
    Item(
        "windows.misted",
        "doors_windows",
        "Misted double glazing",
        Trade.GLAZING,
        "routine",
        "landlord",
        "Double glazed units are ours to replace.",
    ),
    # Walls, ceilings, floors and stairs
    Item(
        "inside.plaster",
        "inside",
        "Cracked, loose or fallen plaster",
        Trade.PLASTERING,
        "routine",
        "landlord",
        "Walls and ceilings are ours to repair.",
    ),
    Item(
        "inside.floor",
        "inside",
        "Loose or broken floorboards",
        Trade.CARPENTRY,
        "urgent",
        "landlord",
        "Floors are ours to repair.",
    ),
    Item(
        "inside.stairs",
        "inside",
        "Loose stair, handrail or banister",
        Trade.CARPENTRY,
        "urgent",
        "landlord",
        "Stairs and handrails are ours to repair: a fall can hurt badly.",
    ),
    Item(
        "inside.decorating",
        "inside",
        "Painting and wallpapering",
        Trade.GENERAL,
        "routine",
        "tenant",
        "Decorating inside your home is yours to do.",
        advice="After we repair plaster we leave it ready to decorate. If you find it hard to "
        "decorate because of age or disability, ask us about help.",
    ),
    Item(
        "inside.pests",
        "inside",
        "Mice, insects or other pests in your home",
        Trade.GENERAL,
        "routine",
        "tenant",
        "Pests inside your home are yours to deal with.",
        advice="Your council's pest control service can help. If pests get in through holes in "
        "walls or floors, report those holes and we will block them.",
    ),
    # Damp, mould and danger
    Item(
        "hazard.damp",
        "damp_hazards",
        "Damp or mould",
        Trade.DAMP,
        "urgent",
        "landlord",
        "We find the cause of damp and mould and put it right. The law (Awaab's Law) sets "
        "the time we have to investigate and make your home safe.",
        hazard_type=HazardType.DAMP_MOULD,
    ),
    Item(
        "hazard.structure",
        "damp_hazards",
        "Ceiling, wall or balcony that looks like it may fall",
        Trade.GENERAL,
        "emergency",
        "landlord",
        "The structure of your home is ours to keep safe.",
        hazard_type=HazardType.STRUCTURAL,
    ),
    # Roof, outside walls and garden
    Item(
        "outside.roof",
        "outside",
        "Roof leaking or tiles missing",
        Trade.ROOFING,
        "urgent",
        "landlord",
        "Roofs are ours to repair.",
    ),
    Item(
        "outside.gutters",
        "outside",
        "Blocked or leaking gutters or drainpipes",
        Trade.ROOFING,
        "routine",
        "landlord",
        "Gutters and drainpipes are ours to repair.",
    ),
    Item(
        "outside.fence",
        "outside",
        "Broken fence or gate",
        Trade.CARPENTRY,
        "routine",
        "landlord",
        "Boundary fences and gates we put up are ours to repair.",
    ),
    Item(
        "outside.garden",
        "outside",
        "Grass, hedges and garden",
        Trade.GENERAL,
        "routine",
        "tenant",
        "Your garden is yours to look after.",
        advice="If you cannot look after your garden because of age or disability, ask us "
        "about our garden help scheme.",
    ),
    # Communal: entrances, doors and lifts
    Item(
        "communal.entry_door",
        "communal_access",
        "Main entrance door or door entry system not working",
        Trade.LOCKSMITH,
        "urgent",
        "landlord",
        "Shared doors and entry systems are ours to repair.",
    ),
    Item(
        "communal.entry_insecure",
        "communal_access",
        "Main entrance door will not lock",
        Trade.LOCKSMITH,
        "emergency",
        "landlord",
        "We keep your building secure.",
    ),
    Item(
        "communal.lift",
        "communal_access",
        "Lift not working",
        Trade.LIFTS,
        "urgent",
        "landlord",
        "Lifts are ours to repair.",
    ),
    # Communal: stairs, corridors and lighting
    Item(
        "communal.lighting",
        "communal_inside",
        "Lights out on stairs or in corridors",
        Trade.ELECTRICAL,
        "urgent",
        "landlord",
        "Shared lighting is ours to repair.",
    ),
    Item(
        "communal.stairs",
        "communal_inside",
        "Damaged stairs, handrails or floor covering",
        Trade.CARPENTRY,
        "urgent",
        "landlord",
        "Shared stairs and floors are ours to repair.",
    ),
    Item(
        "communal.leak",
        "communal_inside",
        "Water leaking or flooding in a shared area",
        Trade.PLUMBING,
        "urgent",
        "landlord",
        "Shared pipes and roofs are ours to repair.",
    ),
    Item(
        "communal.window",
        "communal_inside",
        "Broken window in a shared area",
        Trade.GLAZING,
        "urgent",
        "landlord",
        "Shared windows are ours to repair.",
    ),
    Item(
        "communal.damp",
        "communal_inside",
        "Damp or mould in a shared area",
        Trade.DAMP,
        "urgent",
        "landlord",
        "We find the cause of damp and mould and put it right.",
        hazard_type=HazardType.DAMP_MOULD,
    ),
    # Communal: bin stores, roofs and grounds
    Item(
        "communal.bin_store",
        "communal_outside",
        "Bin store or bike store door damaged",
        Trade.CARPENTRY,
        "routine",
        "landlord",
        "Shared stores are ours to repair.",
    ),
    Item(
        "communal.roof",
        "communal_outside",
        "Roof or gutters of the building leaking",
        Trade.ROOFING,
        "urgent",
        "landlord",
        "The roof of the building is ours to repair.",
    ),
    Item(
        "communal.paths",
        "communal_outside",
        "Damaged shared paths, walls or fences",
        Trade.GENERAL,
        "routine",
        "landlord",
        "Shared grounds are ours to repair.",
    ),
)

_ITEMS_BY_CODE = {item.code: item for item in ITEMS}
_AREAS_BY_CODE = {area.code: area for area in AREAS}


class EmergencyKind(models.TextChoices):
    GAS = "gas", "I can smell gas"
    NO_HEATING = "no_heating", "No heating or hot water (from October to April)"
    NO_WATER = "no_water", "No water at all"
    NO_POWER = "no_power", "No power at all"
    FLOODING = "flooding", "Flooding, or a leak that you cannot stop"
    INSECURE = "insecure", "An outside door or window that will not lock"
    DANGEROUS_STRUCTURE = "dangerous_structure", "A ceiling, wall or balcony that may fall"


# Which catalogue entry an emergency becomes, in the home or in a shared area. An emergency with
# no shared-area entry (your own heating) can only be in the home.
EMERGENCY_ITEMS: dict[str, dict[str, str]] = {
    EmergencyKind.NO_HEATING: {Location.HOME: "heating.none"},
    EmergencyKind.NO_WATER: {Location.HOME: "water.none"},
    EmergencyKind.NO_POWER: {
        Location.HOME: "electrics.no_power",
        Location.COMMUNAL: "communal.lighting",
    },
    EmergencyKind.FLOODING: {Location.HOME: "water.flooding", Location.COMMUNAL: "communal.leak"},
    EmergencyKind.INSECURE: {
        Location.HOME: "doors.wont_lock",
        Location.COMMUNAL: "communal.entry_insecure",
    },
    EmergencyKind.DANGEROUS_STRUCTURE: {
        Location.HOME: "hazard.structure",
        Location.COMMUNAL: "hazard.structure",
    },
}

# "No heating or hot water" is an emergency in the cold months only (1 October to 30 April).
WINTER_MONTHS = frozenset({10, 11, 12, 1, 2, 3, 4})


def item(code: str) -> Item:
    """The catalogue entry, or KeyError for a code that is not in the catalogue."""
    return _ITEMS_BY_CODE[code]


def find_item(code: str) -> Item | None:
    return _ITEMS_BY_CODE.get(code)


def area(code: str) -> Area:
    return _AREAS_BY_CODE[code]


def find_area(code: str) -> Area | None:
    return _AREAS_BY_CODE.get(code)


def areas_for(location: str) -> list[Area]:
    communal = location == Location.COMMUNAL
    return [a for a in AREAS if a.communal == communal]


def items_in(area_code: str) -> list[Item]:
    return [i for i in ITEMS if i.area == area_code]


def emergency_item(kind: str, location: str) -> Item | None:
    code = EMERGENCY_ITEMS.get(kind, {}).get(location)
    return item(code) if code else None
