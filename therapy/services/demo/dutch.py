"""The Dutch demo practice: the English demo's people and course, with Dutch names and words.

Same order, counts and clinical course as `english.py` (stages, sessions, symptoms, sex, birth
dates, number of goals), so seeding either draws the same random numbers and gives the same
PHQ-15 and PSFS trajectories; only names, contact details and free text differ. Everything
stays clearly demo: e-mail addresses under @demo.example, the invented towns Voorbeeldstad
and Demodorp, phone numbers beginning 06-12345, AGB codes beginning 0199990, "(demo)" in the
practice name. A voorvoegsel is kept apart from the family name ("de" + "Vries"), as Dutch
registration does (DOMAIN.md §7). GPs are written without "Dr.": in Dutch it is a doctorate.
"""

from __future__ import annotations

from therapy.models.enums import EducationLevel, Profession, RobbinsSymptom, Role, Sex
from therapy.services.demo.content import DemoAccount, DemoContent, DemoPatient, DemoTexts

DEMO_THERAPISTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "eva@demo.example",
        "Eva van der Linden",
        Role.THERAPIST,
        Profession.PHYSICAL_THERAPIST,
        # BIG numbers end in the profession code: 04 = fysiotherapeut.
        "BIG 19012345604",
    ),
    DemoAccount(
        "daan@demo.example",
        "Daan van den Berg",
        Role.THERAPIST,
        Profession.EXERCISE_THERAPIST,
        # Oefentherapeuten are registered in the Kwaliteitsregister Paramedici, not BIG.
        "KP 2301456",
    ),
)
DEMO_ADMIN = DemoAccount("admin@demo.example", "Ilse ter Horst", Role.PRACTICE_ADMIN)


S = RobbinsSymptom
PATIENTS: tuple[DemoPatient, ...] = (
    DemoPatient(
        "Marloes",
        "Vries",
        Sex.FEMALE,
        (1984, 3, 12),
        EducationLevel.HIGH,
        (S.FATIGUE, S.HEADACHES, S.SLEEP_DISTURBANCE),
        "Stijve, gespannen schouders na het werk",
        7,
        "closed",
        9,
        "Aanhoudende moeheid en spanningshoofdpijn, geen somatische verklaring na "
        "bloedonderzoek. Graag uitleg en begeleiding in het omgaan met haar klachten.",
        "Ik wil weer een hele dag kunnen werken zonder dat ik 's avonds kapot op de bank lig, "
        "en weer met de kinderen kunnen spelen.",
        ("Een hele werkdag op kantoor werken", "Naar het werk fietsen", "Met de kinderen spelen"),
        voorvoegsel="de",
        address="Kerkstraat 12\n1234 AB Voorbeeldstad",
        phone="06-12345101",
        email="marloes.devries@demo.example",
    ),
    DemoPatient(
        "Karim",
        "Bouzid",
        Sex.MALE,
        (1976, 9, 2),
        EducationLevel.MIDDLE,
        (S.BACK_PAIN, S.EXTREMITY_PAIN),
        "",
        8,
        "closed",
        11,
        "Sinds twee jaar chronische lage rugpijn, beeldvorming zonder afwijkingen. Bewegingsangst.",
        "Ik wil mijn kleinzoon weer kunnen optillen zonder bang te zijn dat mijn rug breekt.",
        ("Een kind optillen", "30 minuten wandelen", "In de tuin werken"),
        address="Molenweg 7\n1234 AC Voorbeeldstad",
        phone="06-12345102",
        email="karim.bouzid@demo.example",
    ),
    DemoPatient(
        "Gerda",
        "Meer",
        Sex.FEMALE,
        (1959, 6, 21),
        EducationLevel.LOW,
        (S.DIZZINESS, S.PALPITATIONS, S.SHORTNESS_OF_BREATH),
        "Bang dat ik flauwval in de winkel",
        6,
        "mid",
        5,
        "Duizeligheid en hartkloppingen; cardioloog vond geen afwijkingen. Gaat niet meer "
        "alleen de deur uit.",
        "Ik wil weer zelf mijn boodschappen doen, zonder dat mijn dochter steeds mee moet.",
        ("Alleen boodschappen doen", "Met de bus reizen"),
        voorvoegsel="van der",
        address="Beukenlaan 3\n1235 AA Demodorp",
        phone="06-12345103",
    ),
    DemoPatient(
        "Bas",
        "Verbeek",
        Sex.MALE,
        (1990, 1, 30),
        EducationLevel.HIGH,
        (S.CHEST_PAIN, S.DIFFICULTY_CONCENTRATING),
        "",
        5,
        "mid",
        3,
        "Recidiverende pijn op de borst in rust; cardiaal onderzoek tweemaal zonder afwijkingen.",
        "Ik wil snappen waarom mijn borst pijn doet en niet steeds op de eerste hulp belanden.",
        ("5 km hardlopen", "Een uur geconcentreerd werken"),
        address="Stationsweg 41\n1234 AD Voorbeeldstad",
        phone="06-12345104",
        email="bas.verbeek@demo.example",
    ),
    DemoPatient(
        "Esra",
        "Aydin",
        Sex.FEMALE,
        (1988, 11, 5),
        EducationLevel.MIDDLE,
        (S.ABDOMINAL_PAIN, S.GAS_OR_BLOATING, S.NAUSEA),
        "",
        6,
        "referred",
        0,
        "Buikpijn en een opgeblazen gevoel; door de MDL-arts gediagnosticeerd als PDS.",
        "",
        (),
        address="Schoolstraat 18\n1234 AE Voorbeeldstad",
        phone="06-12345105",
        email="esra.aydin@demo.example",
    ),
    DemoPatient(
        "Henk",
        "Hof",
        Sex.MALE,
        (1968, 4, 17),
        EducationLevel.LOW,
        (S.JOINT_PAIN, S.FATIGUE, S.WEAKNESS),
        "'s Ochtends stijf als een plank",
        7,
        "closed",
        7,
        "Gegeneraliseerde gewrichtspijn en moeheid; reumatoloog vond geen inflammatoire "
        "aandoening.",
        "Ik wil op zaterdag gewoon weer in mijn schuurtje kunnen klussen.",
        ("Twee uur in de schuur klussen", "Traplopen", "Met de hond wandelen"),
        voorvoegsel="van 't",
        address="Dorpsstraat 56\n1235 AB Demodorp",
        phone="06-12345106",
    ),
    DemoPatient(
        "Noor",
        "Hoekstra",
        Sex.FEMALE,
        (1995, 8, 9),
        EducationLevel.HIGH,
        (S.HEADACHES, S.NUMBNESS, S.DIZZINESS),
        "",
        6,
        "mid",
        6,
        "Hoofdpijn met tintelingen in de handen; neuroloog heeft gerustgesteld, klachten "
        "houden aan.",
        "Ik wil graag weer een hele ochtend in de bibliotheek kunnen studeren.",
        ("Drie uur studeren", "Naar een concert gaan"),
        address="Wilgenhof 9\n1234 AG Voorbeeldstad",
        phone="06-12345107",
        email="noor.hoekstra@demo.example",
    ),
    DemoPatient(
        "Wim",
        "Hartog",
        Sex.MALE,
        (1955, 2, 14),
        EducationLevel.MIDDLE,
        (S.SHORTNESS_OF_BREATH, S.FATIGUE),
        "",
        5,
        "referred",
        0,
        "Kortademig bij inspanning; longfunctie normaal. Verwezen voor graded activity.",
        "",
        (),
        voorvoegsel="den",
        address="Raadhuisplein 2\n1235 AC Demodorp",
        phone="06-12345108",
        email="wim.denhartog@demo.example",
    ),
    DemoPatient(
        "Linda",
        "Kuipers",
        Sex.FEMALE,
        (1979, 12, 1),
        EducationLevel.MIDDLE,
        (S.BACK_PAIN, S.SLEEP_DISTURBANCE, S.RESTLESSNESS),
        "",
        7,
        "closed",
        8,
        "Rugpijn en slecht slapen sinds een reorganisatie op het werk.",
        "Ik wil weer een nacht doorslapen en terug naar mijn volleybalteam.",
        ("Volleyballen", "Een hele vergadering uitzitten", "Een nacht doorslapen"),
        address="Julianastraat 27\n1234 AH Voorbeeldstad",
        phone="06-12345109",
        email="linda.kuipers@demo.example",
    ),
    DemoPatient(
        "Emre",
        "Arslan",
        Sex.MALE,
        (1985, 7, 23),
        EducationLevel.LOW,
        (S.HEADACHES, S.LUMP_IN_THROAT, S.LOSS_OF_APPETITE),
        "",
        6,
        "mid",
        2,
        "Hoofdpijn en globusgevoel; KNO-onderzoek zonder afwijkingen.",
        "Ik wil rust in mijn hoofd, zodat ik weer kan genieten van het eten met mijn gezin.",
        ("Een volledige maaltijd eten", "Een uur autorijden"),
        address="Esdoornlaan 14\n1234 AJ Voorbeeldstad",
        phone="06-12345110",
        email="emre.arslan@demo.example",
    ),
    DemoPatient(
        "Monique",
        "Broek",
        Sex.FEMALE,
        (1963, 5, 28),
        EducationLevel.HIGH,
        (S.EXTREMITY_PAIN, S.FATIGUE, S.THOUGHTS_SLOWER),
        "",
        8,
        "referred",
        0,
        "Pijn in armen en benen, moeheid en vertraagd denken na een virusinfectie.",
        "",
        (),
        voorvoegsel="van den",
        address="Vlinderstraat 5\n1235 AD Demodorp",
        phone="06-12345111",
        email="monique.vandenbroek@demo.example",
    ),
)

GPS: tuple[dict[str, str], ...] = (
    {
        "name": "M.",
        "voorvoegsel": "de",
        "family_name": "Graaf",
        "practice_name": "Huisartsenpraktijk De Linde",
        "address": "Lindelaan 4",
        "postcode": "1234 AK",
        "city": "Voorbeeldstad",
        "phone": "06-12345201",
        "email": "praktijk.delinde@demo.example",
        "agb_code": "01999901",
    },
    {
        "name": "R.",
        "family_name": "Ramdin",
        "practice_name": "Gezondheidscentrum Voorbeeldstad-Oost",
        "address": "Oosterstraat 120",
        "postcode": "1234 AL",
        "city": "Voorbeeldstad",
        "phone": "06-12345202",
        "email": "gc.oost@demo.example",
        "agb_code": "01999902",
    },
    {
        "name": "J.",
        "voorvoegsel": "van",
        "family_name": "Leeuwen",
        "practice_name": "Huisartsen Demodorp",
        "address": "Brink 9",
        "postcode": "1235 AE",
        "city": "Demodorp",
        "phone": "06-12345203",
        "email": "huisartsen.demodorp@demo.example",
        "agb_code": "01999903",
    },
)

SCEBS_NOTES = {
    "somatic": "Klachten deze week wat minder heftig; spanning in nek en schouders.",
    "cognitive": "Blijft bang dat de artsen iets over het hoofd hebben gezien.",
    "emotional": "Gefrustreerd op slechte dagen, wel hoopvoller dan vorige keer.",
    "behavioural": (
        "Vermijdt inspanning na een slechte nacht; deed de ademhalingsoefening twee keer."
    ),
    "social": "Partner steunt; werkgever vraagt wanneer volledige uren weer haalbaar zijn.",
}

FORMULATION = (
    ("somatic", "predisposing", "Al sinds de puberteit regelmatig spanningshoofdpijn."),
    (
        "social",
        "precipitating",
        "Reorganisatie op het werk met een nieuwe leidinggevende, vorig voorjaar.",
    ),
    ("cognitive", "perpetuating", "Denkt dat pijn op schade wijst; controleert vaak het lichaam."),
    (
        "behavioural",
        "perpetuating",
        "Boom-bustpatroon: doet te veel op goede dagen, moet daarna bijkomen.",
    ),
    ("emotional", "perpetuating", "Zorgen en frustratie over het uitblijven van herstel."),
    ("social", "protective", "Steunende partner en een huisarts die goed uitlegt."),
    ("behavioural", "protective", "Sportte vroeger regelmatig en is graag buiten."),
)

TEXTS = DemoTexts(
    practice_name="Psychosomatische Therapie Voorbeeldstad (demo)",
    practice_address="Voorbeeldstraat 1\n1234 AA Voorbeeldstad",
    practice_phone="06-12345001",
    expectations="Oefeningen voor thuis en uitleg over de klachten.",
    symptom_course_first="Eerste behandeling.",
    symptom_course_later="Iets beter dan vorige week.",
    home_exercises="Ademhalingsoefening twee keer per dag; dagelijks 15 minuten wandelen.",
    # The goals are infinitive phrases, so the verb lands last: "Ik kan niet meer fietsen."
    goal_patient_words="Ik kan niet meer {activity}.",
    closing_outcome="Doelen grotendeels bereikt; klachten minder heftig en beter begrepen.",
    relapse_prevention=(
        "Vroege signalen herkennen (slecht slapen, pauzes overslaan); dan de "
        "ademhalingsoefening en het activiteitenplan weer oppakken; dagelijks blijven wandelen."
    ),
    gp_advice=(
        "Tijdcontingente follow-up; geen herhaald aanvullend onderzoek zonder nieuwe "
        "alarmsymptomen."
    ),
)

DUTCH = DemoContent(
    therapists=DEMO_THERAPISTS,
    admin=DEMO_ADMIN,
    gps=GPS,
    patients=PATIENTS,
    scebs_notes=SCEBS_NOTES,
    formulation=FORMULATION,
    texts=TEXTS,
)
