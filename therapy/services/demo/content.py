"""The people and words of the demo practice: believable, invented, and clearly marked demo."""

from __future__ import annotations

from dataclasses import dataclass

from therapy.models.enums import EducationLevel, Profession, RobbinsSymptom, Role, Sex

DEMO_PASSWORD = "demo-practice-2026"  # noqa: S105 (demo database only) # nosec B105


@dataclass(frozen=True)
class DemoAccount:
    """One seeded demo login; `flask demo-code` prints codes for these accounts only."""

    email: str
    full_name: str
    role: Role
    profession: Profession | None = None
    registration_number: str = ""


DEMO_THERAPISTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "eva@demo.example",
        "Eva Lindqvist",
        Role.THERAPIST,
        Profession.PHYSICAL_THERAPIST,
        "BIG 19012345601",
    ),
    DemoAccount(
        "daan@demo.example",
        "Daan Koster",
        Role.THERAPIST,
        Profession.EXERCISE_THERAPIST,
        "KRF 2301456",
    ),
)
DEMO_ADMIN = DemoAccount("admin@demo.example", "Mirjam Post", Role.PRACTICE_ADMIN)
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (*DEMO_THERAPISTS, DEMO_ADMIN)
DEMO_EMAILS = frozenset(account.email for account in DEMO_ACCOUNTS)


@dataclass(frozen=True)
class DemoPatient:
    """One invented patient and how far their treatment has come."""

    given_name: str
    family_name: str
    sex: Sex
    born: tuple[int, int, int]
    education: EducationLevel
    symptoms: tuple[RobbinsSymptom, ...]
    other_symptoms: str
    intensity: int
    stage: str  # "referred", "mid", "closed"
    sessions: int
    referral_question: str
    request_for_help: str
    goals: tuple[str, ...]


S = RobbinsSymptom
PATIENTS: tuple[DemoPatient, ...] = (
    DemoPatient(
        "Anna",
        "de Vries",
        Sex.FEMALE,
        (1984, 3, 12),
        EducationLevel.HIGH,
        (S.FATIGUE, S.HEADACHES, S.SLEEP_DISTURBANCE),
        "Tight shoulders after work",
        7,
        "closed",
        9,
        "Persistent fatigue and tension headaches, no somatic explanation after blood tests. "
        "Please help her understand and manage her symptoms.",
        "I want to get through a working day without being exhausted, and play with my kids "
        "in the evening again.",
        ("Working a full day at the office", "Cycling to work", "Playing with the children"),
    ),
    DemoPatient(
        "Mohamed",
        "El Amrani",
        Sex.MALE,
        (1976, 9, 2),
        EducationLevel.MIDDLE,
        (S.BACK_PAIN, S.EXTREMITY_PAIN),
        "",
        8,
        "closed",
        11,
        "Chronic low back pain for two years, imaging without findings. Fear of moving.",
        "I would like to lift my grandson again without being afraid my back will break.",
        ("Lifting a child", "Walking 30 minutes", "Gardening"),
    ),
    DemoPatient(
        "Els",
        "Jansen",
        Sex.FEMALE,
        (1959, 6, 21),
        EducationLevel.LOW,
        (S.DIZZINESS, S.PALPITATIONS, S.SHORTNESS_OF_BREATH),
        "Fear of fainting in shops",
        6,
        "mid",
        5,
        "Dizziness and palpitations; cardiology found nothing. Avoids going out alone.",
        "I want to do my own shopping again without my daughter coming along.",
        ("Grocery shopping alone", "Taking the bus"),
    ),
    DemoPatient(
        "Pieter",
        "Bakker",
        Sex.MALE,
        (1990, 1, 30),
        EducationLevel.HIGH,
        (S.CHEST_PAIN, S.DIFFICULTY_CONCENTRATING),
        "",
        5,
        "mid",
        3,
        "Recurrent chest pain at rest, cardiac work-up normal twice.",
        "I want to understand why my chest hurts and stop going to the emergency room.",
        ("Running 5 km", "Concentrating at work for an hour"),
    ),
    DemoPatient(
        "Fatma",
        "Yilmaz",
        Sex.FEMALE,
        (1988, 11, 5),
        EducationLevel.MIDDLE,
        (S.ABDOMINAL_PAIN, S.GAS_OR_BLOATING, S.NAUSEA),
        "",
        6,
        "referred",
        0,
        "Abdominal pain and bloating, IBS diagnosed by the gastroenterologist.",
        "",
        (),
    ),
    DemoPatient(
        "Johan",
        "Visser",
        Sex.MALE,
        (1968, 4, 17),
        EducationLevel.LOW,
        (S.JOINT_PAIN, S.FATIGUE, S.WEAKNESS),
        "Stiff in the morning",
        7,
        "closed",
        7,
        "Widespread joint pain and fatigue; rheumatology found no inflammatory disease.",
        "I want to work in my shed on Saturdays again.",
        ("Working in the shed for two hours", "Climbing stairs", "Walking the dog"),
    ),
    DemoPatient(
        "Sanne",
        "Mulder",
        Sex.FEMALE,
        (1995, 8, 9),
        EducationLevel.HIGH,
        (S.HEADACHES, S.NUMBNESS, S.DIZZINESS),
        "",
        6,
        "mid",
        6,
        "Headaches with tingling in the hands; neurologist reassured, symptoms persist.",
        "I would like to study in the library for a whole morning.",
        ("Studying for three hours", "Going to a concert"),
    ),
    DemoPatient(
        "Kees",
        "de Boer",
        Sex.MALE,
        (1955, 2, 14),
        EducationLevel.MIDDLE,
        (S.SHORTNESS_OF_BREATH, S.FATIGUE),
        "",
        5,
        "referred",
        0,
        "Breathlessness on exertion; lung function normal. Referred for graded activity.",
        "",
        (),
    ),
    DemoPatient(
        "Lotte",
        "Smit",
        Sex.FEMALE,
        (1979, 12, 1),
        EducationLevel.MIDDLE,
        (S.BACK_PAIN, S.SLEEP_DISTURBANCE, S.RESTLESSNESS),
        "",
        7,
        "closed",
        8,
        "Back pain and poor sleep since a reorganisation at work.",
        "I want to sleep through the night and go back to my volleyball team.",
        ("Playing volleyball", "Sitting through a meeting", "Sleeping through the night"),
    ),
    DemoPatient(
        "Ahmet",
        "Demir",
        Sex.MALE,
        (1985, 7, 23),
        EducationLevel.LOW,
        (S.HEADACHES, S.LUMP_IN_THROAT, S.LOSS_OF_APPETITE),
        "",
        6,
        "mid",
        2,
        "Headaches and a lump in the throat; ENT examination normal.",
        "I want my head to feel calm so I can enjoy dinner with my family.",
        ("Eating a full meal", "Driving for an hour"),
    ),
    DemoPatient(
        "Ingrid",
        "Hendriks",
        Sex.FEMALE,
        (1963, 5, 28),
        EducationLevel.HIGH,
        (S.EXTREMITY_PAIN, S.FATIGUE, S.THOUGHTS_SLOWER),
        "",
        8,
        "referred",
        0,
        "Pain in arms and legs, fatigue and slowed thinking after a viral infection.",
        "",
        (),
    ),
)

GPS: tuple[dict[str, str], ...] = (
    {
        "name": "Dr. M. Verhoeven",
        "practice_name": "Huisartsenpraktijk De Linde",
        "address": "Lindelaan 4",
        "postcode": "3511 AB",
        "city": "Utrecht",
        "agb_code": "01012345",
    },
    {
        "name": "Dr. R. Kaya",
        "practice_name": "Gezondheidscentrum Oost",
        "address": "Oosterstraat 120",
        "postcode": "3581 CD",
        "city": "Utrecht",
        "agb_code": "01023456",
    },
    {
        "name": "Dr. J. van Dijk",
        "practice_name": "Huisartsen Zuid",
        "address": "Zuidplein 9",
        "postcode": "3525 EF",
        "city": "Utrecht",
        "agb_code": "01034567",
    },
)

SCEBS_NOTES = {
    "somatic": "Symptoms somewhat less intense this week; tension in neck and shoulders.",
    "cognitive": "Still worries that something has been missed by the doctors.",
    "emotional": "Frustrated on bad days, more hopeful than last time.",
    "behavioural": "Avoids exertion after a bad night; tried the breathing exercise twice.",
    "social": "Partner is supportive; work asks when full hours will be possible.",
}

FORMULATION = (
    ("somatic", "predisposing", "Long history of tension headaches since adolescence."),
    ("social", "precipitating", "Reorganisation at work with a new manager, last spring."),
    ("cognitive", "perpetuating", "Belief that pain means damage; checks the body often."),
    ("behavioural", "perpetuating", "Boom-and-bust activity pattern: overdoes good days."),
    ("emotional", "perpetuating", "Worry and frustration about not getting better."),
    ("social", "protective", "Supportive partner and a GP who explains well."),
    ("behavioural", "protective", "Used to exercise regularly and enjoys being outdoors."),
)
