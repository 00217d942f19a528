"""The fixed facts of the demo network: towns, centres, meeting places, names,
tags and activity designs. Only values here; `generate` draws from them.

Coordinates are those of the real towns (rounded); meeting places are
plausible buildings near them, not a claim about any real booking system.
"""

from __future__ import annotations

from dataclasses import dataclass

DAYS = 28  # sessions fall on the 28 days after `today`
TOTAL_VOLUNTEERS = 400
# Days without sessions: Christmas and New Year in both countries.
CLOSED_DAYS: tuple[tuple[int, int], ...] = ((12, 24), (12, 25), (12, 26), (12, 31), (1, 1))
LOCAL_LANGUAGE: dict[str, str] = {"NO": "no", "DK": "da"}  # by country

# Tags shared by volunteers (interests, skills) and activities (interests, role skills).
INTERESTS: tuple[str, ...] = (
    "language",
    "culture",
    "social",
    "outdoors",
    "health",
    "digital",
    "children",
    "seniors",
    "food",
    "music",
    "environment",
    "democracy",
)
SKILLS: tuple[str, ...] = (
    "driving_licence",
    "first_aid",
    "it_help",
    "cooking",
    "music",
    "teaching",
    "facilitation",
)
# How often each skill occurs among volunteers (probability per volunteer).
SKILL_SHARE: dict[str, float] = {
    "driving_licence": 0.55,
    "first_aid": 0.30,
    "it_help": 0.28,
    "cooking": 0.30,
    "music": 0.12,
    "teaching": 0.20,
    "facilitation": 0.10,
}
FEATURES: tuple[str, ...] = ("wheelchair", "kitchen", "projector")
POLICE_CERTIFICATE = "police"  # politiattest (NO) / børneattest (DK)

# Languages are ISO 639-1 codes. The local one is "no" or "da".
IMMIGRANT_LANGUAGES: tuple[str, ...] = ("ar", "ti", "uk", "so", "pl")


@dataclass(frozen=True)
class PlaceFact:
    name: str
    address: str
    lat: float
    lon: float
    capacity: int
    parallel: int
    features: tuple[str, ...]
    kind: str  # library, cafe, gym, church, community


@dataclass(frozen=True)
class CentreFact:
    name: str
    email: str
    lat: float  # where its volunteers live around
    lon: float
    size: int  # relative number of volunteers
    designs: tuple[str, ...]  # keys of ACTIVITY_DESIGNS it runs
    park: str | None = None  # runs the participation workshop on this new park


@dataclass(frozen=True)
class MunicipalityFact:
    name: str
    country: str  # NO or DK
    timezone: str
    locale: str  # nb, nn, da
    lat: float  # town centre
    lon: float
    centres: tuple[CentreFact, ...]
    places: tuple[PlaceFact, ...]
    # Share of volunteers with a first language other than the local one.
    immigrant_share: float


def _p(
    name: str,
    address: str,
    lat: float,
    lon: float,
    capacity: int,
    parallel: int,
    features: tuple[str, ...],
    kind: str,
) -> PlaceFact:
    return PlaceFact(name, address, lat, lon, capacity, parallel, features, kind)


ALL_DESIGNS = ("language_cafe", "walking_group", "digital_help", "homework_help", "friday_cafe", "driving_service")

MUNICIPALITIES: tuple[MunicipalityFact, ...] = (
    MunicipalityFact(
        name="Arendal",
        country="NO",
        timezone="Europe/Oslo",
        locale="nb",
        lat=58.4618,
        lon=8.7724,
        immigrant_share=0.2,
        centres=(
            CentreFact("Arendal frivilligsentral", "post@arendal-frivilligsentral.example.org",
                       58.4618, 8.7724, 4, ALL_DESIGNS, park="Kittelsbukt"),
            CentreFact("Hisøy frivilligsentral", "hisoy@arendal-frivilligsentral.example.org",
                       58.4372, 8.7265, 2, ("walking_group", "friday_cafe", "driving_service", "digital_help")),
        ),
        places=(
            _p("Arendal bibliotek, møterom Tyholmen", "Torvet 6, 4836 Arendal", 58.4613, 8.7683, 30, 2,
               ("wheelchair", "projector"), "library"),
            _p("Frivilligsentralens kafé", "Langbryggen 5, 4841 Arendal", 58.4605, 8.7700, 35, 1,
               ("wheelchair", "kitchen"), "cafe"),
            _p("Stinta skole, gymsal", "Stintaveien 2, 4840 Arendal", 58.4720, 8.7480, 60, 1,
               ("wheelchair",), "gym"),
            _p("Trefoldighetskirken, menighetssal", "Kirkebakken 5, 4836 Arendal", 58.4627, 8.7690, 50, 1,
               ("kitchen",), "church"),
            _p("Hisøy samfunnshus", "Hisøyveien 120, 4818 Færvik", 58.4372, 8.7265, 80, 2,
               ("wheelchair", "kitchen", "projector"), "community"),
        ),
    ),
    MunicipalityFact(
        name="Steinkjer",
        country="NO",
        timezone="Europe/Oslo",
        locale="nb",
        lat=64.0149,
        lon=11.4954,
        immigrant_share=0.15,
        centres=(
            CentreFact("Steinkjer frivilligsentral", "post@steinkjer-frivilligsentral.example.org",
                       64.0149, 11.4954, 4, ALL_DESIGNS, park="Elvenes"),
        ),
        places=(
            _p("Steinkjer bibliotek, Dampsaga", "Sjøfartsgata 2a, 7725 Steinkjer", 64.0131, 11.4895, 40, 2,
               ("wheelchair", "projector"), "library"),
            _p("Frivilligsentralens kafé, Steinkjer", "Kongens gate 30, 7713 Steinkjer", 64.0148, 11.4942, 30, 1,
               ("wheelchair", "kitchen"), "cafe"),
            _p("Steinkjer kirke, kirkestua", "Kirkegata 12, 7713 Steinkjer", 64.0156, 11.4980, 45, 1,
               ("kitchen",), "church"),
            _p("Egge ungdomsskole, gymsal", "Eggevegen 20, 7718 Steinkjer", 64.0260, 11.5200, 60, 1,
               ("wheelchair",), "gym"),
        ),
    ),
    MunicipalityFact(
        name="Levanger",
        country="NO",
        timezone="Europe/Oslo",
        locale="nb",
        lat=63.7464,
        lon=11.2996,
        immigrant_share=0.15,
        centres=(
            CentreFact("Levanger frivilligsentral", "post@levanger-frivilligsentral.example.org",
                       63.7464, 11.2996, 3, ALL_DESIGNS, park="Levangerelva"),
        ),
        places=(
            _p("Levanger bibliotek, møterommet", "Kirkegata 43, 7600 Levanger", 63.7458, 11.2990, 30, 1,
               ("wheelchair", "projector"), "library"),
            _p("Frivilligsentralens kafé, Levanger", "Sjøgata 33, 7600 Levanger", 63.7470, 11.2975, 30, 1,
               ("wheelchair", "kitchen"), "cafe"),
            _p("Levanger kirke, menighetshuset", "Kirkegata 35, 7600 Levanger", 63.7452, 11.3010, 50, 1,
               ("kitchen",), "church"),
            _p("Levanger rådhus, bystyresalen", "Håkon den godes gate 2, 7600 Levanger", 63.7461, 11.2999, 80, 1,
               ("wheelchair", "projector"), "community"),
            _p("Levanger ungdomsskole, gymsal", "Moafjæra 1, 7600 Levanger", 63.7490, 11.3080, 60, 1,
               ("wheelchair",), "gym"),
        ),
    ),
    MunicipalityFact(
        name="Oslo",
        country="NO",
        timezone="Europe/Oslo",
        locale="nb",
        lat=59.9139,
        lon=10.7522,
        immigrant_share=0.4,
        centres=(
            CentreFact("Frivilligsentralen i Gamle Oslo", "gamleoslo@frivilligsentral.example.org",
                       59.9110, 10.7700, 5, ALL_DESIGNS, park="Jordal"),
            CentreFact("Grünerløkka frivilligsentral", "grunerlokka@frivilligsentral.example.org",
                       59.9225, 10.7585, 4, ("language_cafe", "homework_help", "digital_help", "friday_cafe", "walking_group")),
            CentreFact("Sagene frivilligsentral", "sagene@frivilligsentral.example.org",
                       59.9375, 10.7500, 3, ("language_cafe", "walking_group", "digital_help", "driving_service")),
        ),
        places=(
            _p("Deichman Tøyen, verkstedrommet", "Hagegata 22, 0653 Oslo", 59.9151, 10.7707, 35, 2,
               ("wheelchair", "projector"), "library"),
            _p("Gamle Oslo frivilligsentral, kafeen", "Smalgangen 3, 0188 Oslo", 59.9115, 10.7620, 30, 1,
               ("wheelchair", "kitchen"), "cafe"),
            _p("Kampen kirke, menighetssalen", "Kampengata 33, 0654 Oslo", 59.9135, 10.7800, 60, 1,
               ("kitchen",), "church"),
            _p("Deichman Grünerløkka, møterom", "Schleppegrells gate 10, 0556 Oslo", 59.9240, 10.7600, 30, 1,
               ("wheelchair", "projector"), "library"),
            _p("Sofienberg skole, gymsal", "Helgesens gate 2, 0553 Oslo", 59.9210, 10.7650, 60, 1,
               ("wheelchair",), "gym"),
            _p("Grünerløkka frivilligsentral, kafé", "Thorvald Meyers gate 40, 0555 Oslo", 59.9230, 10.7590, 25, 1,
               ("kitchen",), "cafe"),
            _p("Sagene samfunnshus", "Kristiansands gate 2, 0463 Oslo", 59.9380, 10.7540, 80, 2,
               ("wheelchair", "kitchen", "projector"), "community"),
            _p("Deichman Torshov, møterom", "Sandakerveien 59, 0477 Oslo", 59.9360, 10.7630, 25, 1,
               ("wheelchair",), "library"),
        ),
    ),
    MunicipalityFact(
        name="Voss",
        country="NO",
        timezone="Europe/Oslo",
        locale="nn",
        lat=60.6283,
        lon=6.4180,
        immigrant_share=0.12,
        centres=(
            CentreFact("Voss frivilligsentral", "post@voss-frivilligsentral.example.org",
                       60.6283, 6.4180, 3, ALL_DESIGNS, park="Prestegardsmoen"),
        ),
        places=(
            _p("Voss bibliotek, møterommet", "Uttrågata 1, 5700 Voss", 60.6290, 6.4150, 30, 1,
               ("wheelchair", "projector"), "library"),
            _p("Frivilligsentralen sin kafé, Vangen", "Vangsgata 20, 5700 Voss", 60.6285, 6.4210, 30, 1,
               ("wheelchair", "kitchen"), "cafe"),
            _p("Vangskyrkja, kyrkjelydshuset", "Vangsgata 1, 5700 Voss", 60.6276, 6.4230, 45, 1,
               ("kitchen",), "church"),
            _p("Voss ungdomsskule, gymsal", "Skulegata 8, 5700 Voss", 60.6310, 6.4100, 60, 1,
               ("wheelchair",), "gym"),
        ),
    ),
    MunicipalityFact(
        name="Aarhus",
        country="DK",
        timezone="Europe/Copenhagen",
        locale="da",
        lat=56.1567,
        lon=10.2108,
        immigrant_share=0.3,
        centres=(
            CentreFact("Frivilligcenter Aarhus", "kontakt@frivilligcenter-aarhus.example.org",
                       56.1567, 10.2108, 5, ALL_DESIGNS, park="Sydhavnen"),
            CentreFact("Frivilligcenter Gellerup", "gellerup@frivilligcenter-aarhus.example.org",
                       56.1540, 10.1350, 4, ("language_cafe", "homework_help", "digital_help", "friday_cafe", "walking_group")),
        ),
        places=(
            _p("Dokk1, mødelokale 3", "Hack Kampmanns Plads 2, 8000 Aarhus C", 56.1533, 10.2143, 40, 2,
               ("wheelchair", "projector"), "library"),
            _p("Frivilligcentrets café", "Mejlgade 35, 8000 Aarhus C", 56.1600, 10.2120, 30, 1,
               ("wheelchair", "kitchen"), "cafe"),
            _p("Aarhus Domkirke, sognegården", "Store Torv 1, 8000 Aarhus C", 56.1569, 10.2107, 50, 1,
               ("kitchen",), "church"),
            _p("Gellerup Bibliotek, mødelokale", "Dortesvej 37, 8220 Brabrand", 56.1550, 10.1330, 35, 1,
               ("wheelchair", "projector"), "library"),
            _p("Gellerupskolen, gymnastiksal", "Tousvej 150, 8220 Brabrand", 56.1520, 10.1300, 60, 1,
               ("wheelchair",), "gym"),
            _p("Globus1, fælleshuset", "Gudrunsvej 1, 8220 Brabrand", 56.1530, 10.1400, 80, 2,
               ("wheelchair", "kitchen", "projector"), "community"),
        ),
    ),
    MunicipalityFact(
        name="Sønderborg",
        country="DK",
        timezone="Europe/Copenhagen",
        locale="da",
        lat=54.9138,
        lon=9.7922,
        immigrant_share=0.15,
        centres=(
            CentreFact("Frivilligcenter Sønderborg", "kontakt@frivilligcenter-sonderborg.example.org",
                       54.9138, 9.7922, 4, ALL_DESIGNS, park="Havnen"),
        ),
        places=(
            _p("Sønderborg Bibliotek, mødelokale", "Rådhustorvet 4, 6400 Sønderborg", 54.9130, 9.7890, 35, 2,
               ("wheelchair", "projector"), "library"),
            _p("Frivilligcentrets café, Sønderborg", "Perlegade 50, 6400 Sønderborg", 54.9140, 9.7900, 30, 1,
               ("wheelchair", "kitchen"), "cafe"),
            _p("Sankt Marie Kirke, sognegården", "Kirkegade 1, 6400 Sønderborg", 54.9118, 9.7860, 45, 1,
               ("kitchen",), "church"),
            _p("Humlehøjhallen", "Humlehøj 60, 6400 Sønderborg", 54.9220, 9.7780, 80, 1,
               ("wheelchair",), "gym"),
            _p("Ahlmannsparken, fælleshuset", "Ahlmannsparken 1, 6400 Sønderborg", 54.9180, 9.8000, 60, 1,
               ("wheelchair", "kitchen", "projector"), "community"),
        ),
    ),
)


# ---- Activity designs ------------------------------------------------------


@dataclass(frozen=True)
class RoleDesign:
    key: str  # stable key; the stored role name is the localised one
    names: dict[str, str]  # locale -> role name
    min: int
    max: int
    skills: tuple[str, ...] = ()
    languages: str = ""  # "", "local" (no/da) or "immigrant" (any of IMMIGRANT_LANGUAGES)
    certificate: str | None = None


@dataclass(frozen=True)
class Slot:
    """A weekly time: weekday 0=Monday, local start and end."""

    weekday: int
    start: str
    end: str


@dataclass(frozen=True)
class ActivityDesign:
    key: str
    titles: dict[str, str]  # locale -> title
    descriptions: dict[str, str]
    interests: tuple[str, ...]
    needs: tuple[str, ...]
    participants: int
    roles: tuple[RoleDesign, ...]
    slots: tuple[Slot, ...]  # weekly times to choose from
    place_kinds: tuple[str, ...]  # preferred kinds of meeting place, best first


def _names(nb: str, nn: str, da: str) -> dict[str, str]:
    return {"nb": nb, "nn": nn, "da": da}


ACTIVITY_DESIGNS: dict[str, ActivityDesign] = {
    "language_cafe": ActivityDesign(
        key="language_cafe",
        titles=_names("Språkkafé", "Språkkafé", "Sprogcafé"),
        descriptions=_names(
            "Øv på norsk over en kopp kaffe, med frivillige samtalepartnere.",
            "Øv på norsk over ein kopp kaffi, med frivillige samtalepartnarar.",
            "Øv dansk over en kop kaffe sammen med frivillige samtalepartnere.",
        ),
        interests=("language", "culture", "social"),
        needs=(),
        participants=20,
        roles=(
            RoleDesign("host", _names("vert", "vert", "vært"), 1, 1, languages="local"),
            RoleDesign("conversation", _names("samtalepartner", "samtalepartnar", "samtalepartner"),
                       2, 4, languages="local"),
            RoleDesign("interpreter", _names("tolk", "tolk", "tolk"), 0, 1, languages="immigrant"),
        ),
        slots=(Slot(1, "18:00", "20:00"), Slot(2, "18:00", "20:00"), Slot(3, "17:30", "19:30")),
        place_kinds=("library", "cafe", "community"),
    ),
    "walking_group": ActivityDesign(
        key="walking_group",
        titles=_names("Turgruppe", "Turgruppe", "Gågruppe"),
        descriptions=_names(
            "Rolig tur i nærmiljøet for alle, med kaffe etterpå.",
            "Roleg tur i nærmiljøet for alle, med kaffi etterpå.",
            "En rolig gåtur i nærområdet for alle, med kaffe bagefter.",
        ),
        interests=("outdoors", "health", "social"),
        needs=(),
        participants=15,
        roles=(
            RoleDesign("walk_leader", _names("turleder", "turleiar", "turleder"), 1, 2,
                       skills=("first_aid",)),
            RoleDesign("companion", _names("turvenn", "turven", "gåven"), 0, 2),
        ),
        slots=(Slot(0, "10:00", "11:30"), Slot(2, "10:00", "11:30"), Slot(5, "11:00", "12:30")),
        place_kinds=("cafe", "community", "library"),
    ),
    "digital_help": ActivityDesign(
        key="digital_help",
        titles=_names("Digital hjelp for seniorer", "Digital hjelp for seniorar", "Digital hjælp til seniorer"),
        descriptions=_names(
            "Hjelp med mobil, nettbank, BankID og Helsenorge, i eget tempo.",
            "Hjelp med mobil, nettbank, BankID og Helsenorge, i eige tempo.",
            "Hjælp til mobil, netbank, MitID og borger.dk i dit eget tempo.",
        ),
        interests=("digital", "seniors"),
        needs=("wheelchair",),
        participants=12,
        roles=(
            RoleDesign("it_helper", _names("digihjelper", "digihjelpar", "it-hjælper"), 2, 3,
                       skills=("it_help",)),
        ),
        slots=(Slot(1, "11:00", "13:00"), Slot(3, "11:00", "13:00"), Slot(0, "17:00", "19:00")),
        place_kinds=("library", "community", "cafe"),
    ),
    "homework_help": ActivityDesign(
        key="homework_help",
        titles=_names("Leksehjelp", "Leksehjelp", "Lektiehjælp"),
        descriptions=_names(
            "Leksehjelp for barn og unge fra 5. til 10. trinn.",
            "Leksehjelp for born og unge frå 5. til 10. trinn.",
            "Lektiehjælp for børn og unge fra 4. til 9. klasse.",
        ),
        interests=("children", "language"),
        needs=(),
        participants=25,
        roles=(
            RoleDesign("homework_helper", _names("leksehjelper", "leksehjelpar", "lektiehjælper"), 2, 4,
                       certificate=POLICE_CERTIFICATE),
            RoleDesign("mother_tongue_helper", _names("morsmålshjelper", "morsmålshjelpar", "modersmålshjælper"),
                       0, 1, languages="immigrant", certificate=POLICE_CERTIFICATE),
        ),
        slots=(Slot(0, "17:00", "19:00"), Slot(2, "17:00", "19:00"), Slot(3, "17:00", "19:00")),
        place_kinds=("library", "community", "cafe"),
    ),
    "friday_cafe": ActivityDesign(
        key="friday_cafe",
        titles=_names("Fredagskafé", "Fredagskafé", "Fredagscafé"),
        descriptions=_names(
            "Åpen kafé med vafler, kaffe og prat. Alle er velkomne.",
            "Open kafé med vaflar, kaffi og prat. Alle er velkomne.",
            "Åben café med vafler, kaffe og snak. Alle er velkomne.",
        ),
        interests=("food", "social", "music"),
        needs=("kitchen",),
        participants=25,
        roles=(
            RoleDesign("cafe_host", _names("kafévert", "kafévert", "cafévært"), 1, 2, skills=("cooking",)),
            RoleDesign("helper", _names("hjelper", "hjelpar", "hjælper"), 1, 2),
            RoleDesign("musician", _names("musiker", "musikar", "musiker"), 0, 1, skills=("music",)),
        ),
        slots=(Slot(4, "11:00", "13:30"),),
        place_kinds=("cafe", "church", "community"),
    ),
    "driving_service": ActivityDesign(
        key="driving_service",
        titles=_names("Kjøretjeneste", "Køyreteneste", "Kørselsordning"),
        descriptions=_names(
            "Frivillige kjører eldre til butikken, legen og vennetreff.",
            "Frivillige køyrer eldre til butikken, legen og vennetreff.",
            "Frivillige kører ældre til indkøb, læge og vennebesøg.",
        ),
        interests=("seniors", "social"),
        needs=(),
        participants=4,
        roles=(
            RoleDesign("driver", _names("sjåfør", "sjåfør", "chauffør"), 2, 3, skills=("driving_licence",)),
        ),
        slots=(Slot(2, "10:00", "14:00"), Slot(1, "10:00", "14:00")),
        place_kinds=("cafe", "community"),
    ),
}

# The participation workshop: one open session per municipality, held where
# and when the most people can come (the solver picks one option).
WORKSHOP = ActivityDesign(
    key="park_workshop",
    titles=_names("Medvirkningsverksted: ny park ved {park}", "Medverknadsverkstad: ny park ved {park}",
                  "Borgerværksted: ny park ved {park}"),
    descriptions=_names(
        "Hva skal den nye parken ved {park} romme? Tegn, skriv og diskuter med naboer og kommunen.",
        "Kva skal den nye parken ved {park} innehalde? Teikn, skriv og diskuter med naboar og kommunen.",
        "Hvad skal den nye park ved {park} rumme? Tegn, skriv og diskutér med naboer og kommunen.",
    ),
    interests=("democracy", "environment", "outdoors"),
    needs=("projector",),
    participants=30,
    roles=(
        RoleDesign("facilitator", _names("prosessleder", "prosessleiar", "facilitator"), 1, 2,
                   skills=("facilitation",)),
        RoleDesign("table_host", _names("bordvert", "bordvert", "bordvært"), 2, 4),
        RoleDesign("interpreter", _names("tolk", "tolk", "tolk"), 0, 1, languages="immigrant"),
    ),
    slots=(
        Slot(1, "18:00", "20:30"),
        Slot(3, "18:00", "20:30"),
        Slot(5, "11:00", "13:30"),
        Slot(0, "18:00", "20:30"),
        Slot(2, "18:00", "20:30"),
    ),
    place_kinds=("community", "library", "gym"),
)

# ---- Volunteers ------------------------------------------------------------

# First names and family names by background. Norwegian lists serve bokmål and
# nynorsk municipalities; Voss adds a few local farm names.
FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "no": ("Kari", "Ola", "Ingrid", "Lars", "Sigrid", "Per", "Astrid", "Knut", "Marit", "Jon",
           "Solveig", "Erik", "Hilde", "Bjørn", "Nora", "Henrik", "Emma", "Magnus", "Liv", "Tor",
           "Ragnhild", "Håkon", "Anne", "Espen", "Ingeborg", "Sverre", "Guro", "Eirik", "Tone", "Odd"),
    "da": ("Mette", "Lars", "Karen", "Søren", "Anne", "Jens", "Kirsten", "Niels", "Hanne", "Mads",
           "Lone", "Rasmus", "Birgitte", "Anders", "Ida", "Frederik", "Camilla", "Morten", "Lene", "Poul",
           "Signe", "Christian", "Helle", "Thomas", "Freja", "Kasper", "Bente", "Jesper", "Inge", "Ole"),
    "ar": ("Ahmad", "Fatima", "Omar", "Layla", "Yusuf", "Amina", "Khaled", "Rania", "Samir", "Noor",
           "Hassan", "Mariam"),
    "ti": ("Yonas", "Selam", "Tesfay", "Helen", "Filmon", "Senait", "Mehari", "Ruta", "Dawit", "Saba"),
    "uk": ("Olena", "Oksana", "Andrii", "Mykola", "Iryna", "Dmytro", "Kateryna", "Taras", "Yuliia",
           "Bohdan"),
    "so": ("Abdi", "Hodan", "Fadumo", "Mohamed", "Asha", "Ayaan", "Liban", "Hamdi", "Ismail", "Sahra"),
    "pl": ("Piotr", "Agnieszka", "Katarzyna", "Tomasz", "Magdalena", "Marek", "Joanna", "Paweł",
           "Ewa", "Krzysztof"),
}
FAMILY_NAMES: dict[str, tuple[str, ...]] = {
    "no": ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
           "Jensen", "Karlsen", "Berg", "Haugen", "Hagen", "Bakken", "Solberg", "Moen", "Lie",
           "Dahl", "Strand", "Eriksen", "Lund", "Aas", "Myhre", "Tangen", "Nygård"),
    "nn": ("Lydvo", "Rykkje", "Dykesten", "Hefte", "Tvinnereim", "Rekve", "Hauge", "Bjørgo",
           "Lunde", "Gjerme", "Lid", "Seim"),
    "da": ("Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
           "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
           "Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen"),
    "ar": ("Al-Hassan", "Haddad", "Khalil", "Mansour", "Saleh", "Nasser", "Ibrahim", "Darwish"),
    "ti": ("Tesfamariam", "Haile", "Gebremedhin", "Kidane", "Berhane", "Tekle", "Ghebreyesus"),
    "uk": ("Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Melnyk", "Kravchenko", "Boiko"),
    "so": ("Hassan", "Warsame", "Farah", "Abdullahi", "Jama", "Osman", "Aden", "Yusuf"),
    "pl": ("Nowak", "Wójcik", "Mazur", "Krawczyk", "Kaczmarek", "Zając", "Król", "Wróbel"),
}

# Weekly availability patterns (local times) and how often each occurs.
# Retirees give daytime, working people evenings and weekends.
AVAILABILITY_PATTERNS: dict[str, tuple[tuple[int, str, str], ...]] = {
    "retiree": tuple((d, "09:00", "15:00") for d in range(5)),
    "evenings": tuple((d, "16:30", "21:30") for d in range(4)),
    "some_evenings": ((1, "17:00", "21:00"), (3, "17:00", "21:00")),
    "weekend": ((4, "10:00", "15:00"), (5, "10:00", "16:00"), (6, "11:00", "17:00")),
    "student": ((0, "15:30", "20:00"), (2, "15:30", "20:00"), (4, "10:00", "14:00")),
    "flexible": tuple((d, "09:00", "21:00") for d in range(6)),
}
AVAILABILITY_SHARE: dict[str, float] = {
    "retiree": 0.25,
    "evenings": 0.25,
    "some_evenings": 0.15,
    "weekend": 0.10,
    "student": 0.15,
    "flexible": 0.10,
}
