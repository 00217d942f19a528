"""The volunteer page's texts in Norwegian bokmål and nynorsk, Danish and English.

The language of a page is, first, the one the volunteer picked with the
switch on the page (kept in the session); then their municipality's locale;
before sign-in, the browser's Accept-Language; and bokmål when nothing fits.
Dates are written out by hand here (weekday and month names per language),
so the page needs no locale data from the operating system.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

LANGUAGES = ("nb", "nn", "da", "en")
DEFAULT_LANGUAGE = "nb"
# Each language's name in itself, for the switch.
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "da": "Dansk", "en": "English"}
# Browser language tags that mean one of ours ("no" is Norwegian without a
# written standard named: bokmål is what most mean).
_TAG_ALIASES = {"no": "nb", "nb": "nb", "nn": "nn", "da": "da", "en": "en"}

TEXTS: dict[str, dict[str, str]] = {
    "app_title": {
        "nb": "Mine frivilligoppdrag",
        "nn": "Mine frivilligoppdrag",
        "da": "Mine frivilligopgaver",
        "en": "My volunteer assignments",
    },
    "signin_heading": {"nb": "Logg inn", "nn": "Logg inn", "da": "Log ind", "en": "Sign in"},
    "signin_intro": {
        "nb": "Skriv inn den personlige koden du fikk fra frivilligsentralen.",
        "nn": "Skriv inn den personlege koden du fekk frå frivilligsentralen.",
        "da": "Skriv den personlige kode, du har fået fra frivilligcentret.",
        "en": "Enter the personal code your volunteer centre gave you.",
    },
    "token_label": {
        "nb": "Personlig kode",
        "nn": "Personleg kode",
        "da": "Personlig kode",
        "en": "Personal code",
    },
    "signin_button": {"nb": "Logg inn", "nn": "Logg inn", "da": "Log ind", "en": "Sign in"},
    "signin_empty": {
        "nb": "Skriv inn koden din.",
        "nn": "Skriv inn koden din.",
        "da": "Skriv din kode.",
        "en": "Please enter your code.",
    },
    "signin_wrong": {
        "nb": "Koden er ikke riktig, eller den er ikke lenger i bruk. Sjekk at du har "
              "skrevet den nøyaktig, eller spør frivilligsentralen om en ny.",
        "nn": "Koden er ikkje rett, eller han er ikkje lenger i bruk. Sjå etter at du har "
              "skrive han nøyaktig, eller spør frivilligsentralen om ein ny.",
        "da": "Koden er ikke rigtig, eller den er ikke længere i brug. Tjek, at du har "
              "skrevet den præcist, eller bed frivilligcentret om en ny.",
        "en": "That code is not right, or it is no longer in use. Check that you typed it "
              "exactly, or ask your volunteer centre for a new one.",
    },
    "signin_not_volunteer": {
        "nb": "Dette er ikke en kode for frivillige, så den kan ikke brukes her. Bruk den "
              "personlige koden du fikk som frivillig.",
        "nn": "Dette er ikkje ein kode for frivillige, så han kan ikkje brukast her. Bruk den "
              "personlege koden du fekk som frivillig.",
        "da": "Det er ikke en kode til frivillige, så den kan ikke bruges her. Brug den "
              "personlige kode, du har fået som frivillig.",
        "en": "This is not a volunteer's code, so it cannot be used here. Use the personal "
              "code you were given as a volunteer.",
    },
    "signin_too_many": {
        "nb": "For mange feil forsøk. Vent {seconds} sekunder og prøv igjen.",
        "nn": "For mange feil forsøk. Vent {seconds} sekund og prøv igjen.",
        "da": "For mange forkerte forsøg. Vent {seconds} sekunder, og prøv igen.",
        "en": "Too many wrong attempts. Wait {seconds} seconds and try again.",
    },
    "signed_out": {
        "nb": "Du er logget ut.",
        "nn": "Du er logga ut.",
        "da": "Du er logget ud.",
        "en": "You are signed out.",
    },
    "session_ended": {
        "nb": "Koden din gjelder ikke lenger, så du er logget ut. Spør frivilligsentralen "
              "om en ny.",
        "nn": "Koden din gjeld ikkje lenger, så du er logga ut. Spør frivilligsentralen "
              "om ein ny.",
        "da": "Din kode gælder ikke længere, så du er logget ud. Bed frivilligcentret om en ny.",
        "en": "Your code is no longer valid, so you have been signed out. Ask your volunteer "
              "centre for a new one.",
    },
    "sign_out": {"nb": "Logg ut", "nn": "Logg ut", "da": "Log ud", "en": "Sign out"},
    "greeting": {"nb": "Hei, {name}!", "nn": "Hei, {name}!", "da": "Hej {name}!",
                 "en": "Hello, {name}!"},
    "greeting_anonymous": {"nb": "Hei!", "nn": "Hei!", "da": "Hej!", "en": "Hello!"},
    "upcoming_heading": {
        "nb": "Kommende oppdrag",
        "nn": "Komande oppdrag",
        "da": "Kommende opgaver",
        "en": "Upcoming assignments",
    },
    "needs_answer": {
        "nb": "{count} venter på svaret ditt.",
        "nn": "{count} ventar på svaret ditt.",
        "da": "{count} venter på dit svar.",
        "en": "{count} waiting for your answer.",
    },
    "empty_heading": {
        "nb": "Ingen oppdrag ennå",
        "nn": "Ingen oppdrag enno",
        "da": "Ingen opgaver endnu",
        "en": "No assignments yet",
    },
    "empty_text": {
        "nb": "Du har ingen kommende oppdrag akkurat nå. Frivilligsentralen planlegger de "
              "neste {days} dagene hver natt. Når du får et oppdrag, dukker det opp her, og "
              "du kan bekrefte eller si nei med ett trykk.",
        "nn": "Du har ingen komande oppdrag akkurat no. Frivilligsentralen planlegg dei "
              "neste {days} dagane kvar natt. Når du får eit oppdrag, dukkar det opp her, og "
              "du kan stadfeste eller seie nei med eitt trykk.",
        "da": "Du har ingen kommende opgaver lige nu. Frivilligcentret planlægger de næste "
              "{days} dage hver nat. Når du får en opgave, kommer den frem her, og du kan "
              "bekræfte eller sige nej med ét tryk.",
        "en": "You have no upcoming assignments right now. Your volunteer centre plans the "
              "next {days} days every night. When you are given an assignment it appears "
              "here, and you can confirm or decline it with one tap.",
    },
    "empty_hint": {
        "nb": "Vil du ha flere oppdrag? Fortell frivilligsentralen når du kan.",
        "nn": "Vil du ha fleire oppdrag? Fortel frivilligsentralen når du kan.",
        "da": "Vil du have flere opgaver? Fortæl frivilligcentret, hvornår du kan.",
        "en": "Would you like more? Tell your volunteer centre when you are free.",
    },
    "when_label": {"nb": "Når", "nn": "Når", "da": "Hvornår", "en": "When"},
    "where_label": {"nb": "Hvor", "nn": "Kvar", "da": "Hvor", "en": "Where"},
    "role_label": {"nb": "Rolle", "nn": "Rolle", "da": "Rolle", "en": "Role"},
    "place_unknown": {
        "nb": "Sted kommer senere",
        "nn": "Stad kjem seinare",
        "da": "Sted følger senere",
        "en": "Place to be announced",
    },
    "map_link": {"nb": "Vis på kart", "nn": "Vis på kart", "da": "Vis på kort",
                 "en": "Show on map"},
    "status_proposed": {
        "nb": "Venter på svaret ditt",
        "nn": "Ventar på svaret ditt",
        "da": "Venter på dit svar",
        "en": "Waiting for your answer",
    },
    "status_confirmed": {"nb": "Bekreftet", "nn": "Stadfesta", "da": "Bekræftet",
                         "en": "Confirmed"},
    "status_declined": {"nb": "Du sa nei", "nn": "Du sa nei", "da": "Du sagde nej",
                        "en": "Declined"},
    "status_cancelled": {"nb": "Avlyst", "nn": "Avlyst", "da": "Aflyst", "en": "Cancelled"},
    # The state inside a sentence ("... because it is {state}").
    "state_proposed": {"nb": "foreslått", "nn": "føreslått", "da": "foreslået",
                       "en": "proposed"},
    "state_confirmed": {"nb": "bekreftet", "nn": "stadfesta", "da": "bekræftet",
                        "en": "confirmed"},
    "state_declined": {"nb": "avslått", "nn": "avslått", "da": "afslået", "en": "declined"},
    "state_cancelled": {"nb": "avlyst", "nn": "avlyst", "da": "aflyst", "en": "cancelled"},
    "confirm_button": {"nb": "Bekreft", "nn": "Stadfest", "da": "Bekræft", "en": "Confirm"},
    "decline_button": {"nb": "Si nei", "nn": "Sei nei", "da": "Sig nej", "en": "Decline"},
    "reason_toggle": {
        "nb": "Vil du si hvorfor? (valgfritt)",
        "nn": "Vil du seie kvifor? (valfritt)",
        "da": "Vil du fortælle hvorfor? (valgfrit)",
        "en": "Want to say why? (optional)",
    },
    "reason_label": {
        "nb": "Grunn (valgfritt)",
        "nn": "Grunn (valfritt)",
        "da": "Begrundelse (valgfri)",
        "en": "Reason (optional)",
    },
    "cant_come_toggle": {
        "nb": "Kan du ikke komme likevel?",
        "nn": "Kan du ikkje kome likevel?",
        "da": "Kan du alligevel ikke komme?",
        "en": "Can't come after all?",
    },
    "cant_come_button": {
        "nb": "Jeg kan ikke komme",
        "nn": "Eg kan ikkje kome",
        "da": "Jeg kan ikke komme",
        "en": "I can't come",
    },
    "confirmed_flash": {
        "nb": "Takk! {title}, {when}, er bekreftet.",
        "nn": "Takk! {title}, {when}, er stadfesta.",
        "da": "Tak! {title}, {when}, er bekræftet.",
        "en": "Thank you! {title}, {when}, is confirmed.",
    },
    "declined_flash": {
        "nb": "Du har sagt nei til {title}, {when}. Frivilligsentralen finner en annen.",
        "nn": "Du har sagt nei til {title}, {when}. Frivilligsentralen finn ein annan.",
        "da": "Du har sagt nej til {title}, {when}. Frivilligcentret finder en anden.",
        "en": "You declined {title}, {when}. Your volunteer centre will find someone else.",
    },
    "conflict_confirm": {
        "nb": "Dette oppdraget kan ikke bekreftes lenger, fordi det er {state}.",
        "nn": "Dette oppdraget kan ikkje stadfestast lenger, fordi det er {state}.",
        "da": "Denne opgave kan ikke længere bekræftes, fordi den er {state}.",
        "en": "This assignment can no longer be confirmed: it is {state}.",
    },
    "conflict_decline": {
        "nb": "Dette oppdraget kan ikke avslås lenger, fordi det er {state}.",
        "nn": "Dette oppdraget kan ikkje avslåast lenger, fordi det er {state}.",
        "da": "Denne opgave kan ikke længere afslås, fordi den er {state}.",
        "en": "This assignment can no longer be declined: it is {state}.",
    },
    "reason_too_long": {
        "nb": "Grunnen er for lang (høyst {max} tegn).",
        "nn": "Grunnen er for lang (høgst {max} teikn).",
        "da": "Begrundelsen er for lang (højst {max} tegn).",
        "en": "The reason is too long (at most {max} characters).",
    },
    "closed_heading": {
        "nb": "Avslått eller avlyst",
        "nn": "Avslått eller avlyst",
        "da": "Afslået eller aflyst",
        "en": "Declined or cancelled",
    },
    "calendar_heading": {
        "nb": "I kalenderen din",
        "nn": "I kalenderen din",
        "da": "I din kalender",
        "en": "In your calendar",
    },
    "calendar_link": {
        "nb": "Legg til i kalenderen din",
        "nn": "Legg til i kalenderen din",
        "da": "Føj til din kalender",
        "en": "Add to your calendar",
    },
    "calendar_help": {
        "nb": "Abonner på denne lenken i kalenderappen din (Google, Apple, Outlook), så kommer "
              "oppdragene dine inn av seg selv. Ikke del lenken: alle som har den, kan se "
              "oppdragene dine.",
        "nn": "Abonner på denne lenkja i kalenderappen din (Google, Apple, Outlook), så kjem "
              "oppdraga dine inn av seg sjølv. Ikkje del lenkja: alle som har henne, kan sjå "
              "oppdraga dine.",
        "da": "Abonnér på dette link i din kalenderapp (Google, Apple, Outlook), så kommer "
              "dine opgaver automatisk med. Del ikke linket: alle, der har det, kan se dine "
              "opgaver.",
        "en": "Subscribe to this link in your calendar app (Google, Apple, Outlook) and your "
              "assignments appear there by themselves. Do not share the link: anyone who has "
              "it can see your assignments.",
    },
    "calendar_copy": {
        "nb": "Eller kopier denne adressen inn i kalenderappen:",
        "nn": "Eller kopier denne adressa inn i kalenderappen:",
        "da": "Eller kopiér denne adresse ind i kalenderappen:",
        "en": "Or copy this address into your calendar app:",
    },
    "calendar_name": {
        "nb": "Frivilligoppdrag",
        "nn": "Frivilligoppdrag",
        "da": "Frivilligopgaver",
        "en": "Volunteer assignments",
    },
    "calendar_event_description": {
        "nb": "Se oppdraget og svar her: {url}",
        "nn": "Sjå oppdraget og svar her: {url}",
        "da": "Se opgaven og svar her: {url}",
        "en": "See the assignment and answer here: {url}",
    },
    "language_label": {"nb": "Språk", "nn": "Språk", "da": "Sprog", "en": "Language"},
    "privacy_note": {
        "nb": "Frivilligsentralen ser svarene dine og grunnene du oppgir. Vil du at noe "
              "skal endres eller slettes, kontakt frivilligsentralen.",
        "nn": "Frivilligsentralen ser svara dine og grunnane du gjev. Vil du at noko skal "
              "endrast eller slettast, kontakt frivilligsentralen.",
        "da": "Frivilligcentret kan se dine svar og de begrundelser, du giver. Vil du have "
              "noget ændret eller slettet, så kontakt frivilligcentret.",
        "en": "Your volunteer centre sees your answers and any reasons you give. To have "
              "something changed or deleted, contact your volunteer centre.",
    },
    "not_found": {
        "nb": "Fant ikke dette oppdraget.",
        "nn": "Fann ikkje dette oppdraget.",
        "da": "Opgaven blev ikke fundet.",
        "en": "That assignment was not found.",
    },
    "page_not_found": {
        "nb": "Fant ikke siden.",
        "nn": "Fann ikkje sida.",
        "da": "Siden blev ikke fundet.",
        "en": "That page was not found.",
    },
    "bad_request": {
        "nb": "Skjemaet var utløpt. Gå tilbake, last inn siden på nytt og prøv igjen.",
        "nn": "Skjemaet var gått ut. Gå tilbake, last inn sida på nytt og prøv igjen.",
        "da": "Formularen var udløbet. Gå tilbage, genindlæs siden, og prøv igen.",
        "en": "The form had expired. Go back, reload the page and try again.",
    },
    "error_heading": {"nb": "Beklager", "nn": "Orsak", "da": "Beklager", "en": "Sorry"},
    "back_link": {
        "nb": "Til oppdragene mine",
        "nn": "Til oppdraga mine",
        "da": "Til mine opgaver",
        "en": "Back to my assignments",
    },
    "time_prefix": {"nb": "kl.", "nn": "kl.", "da": "kl.", "en": ""},
}

# Role names a coordinator may have entered in English; others show as entered
# (the demo data and most centres name roles in their own language already).
ROLE_NAMES: dict[str, dict[str, str]] = {
    "host": {"nb": "vert", "nn": "vert", "da": "vært", "en": "host"},
    "helper": {"nb": "hjelper", "nn": "hjelpar", "da": "hjælper", "en": "helper"},
    "driver": {"nb": "sjåfør", "nn": "sjåfør", "da": "chauffør", "en": "driver"},
    "interpreter": {"nb": "tolk", "nn": "tolk", "da": "tolk", "en": "interpreter"},
}

WEEKDAYS = {
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "nn": ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"),
    "da": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_NORDIC_MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
                  "september", "oktober", "november", "desember")
MONTHS = {
    "nb": _NORDIC_MONTHS,
    "nn": _NORDIC_MONTHS,
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


@dataclass(frozen=True)
class Translator:
    """`t("key", name=...)`: the text in this language, with its fields filled."""

    language: str

    def __call__(self, key: str, **fields: object) -> str:
        text = TEXTS[key][self.language]
        return text.format(**fields) if fields else text

    def role(self, role: str) -> str:
        names = ROLE_NAMES.get(role.strip().lower())
        return names[self.language] if names else role

    def date(self, moment: datetime, *, with_year: bool = False) -> str:
        """'tirsdag 12. januar' / 'tirsdag den 12. januar' / 'Tuesday 12 January'."""
        weekday = WEEKDAYS[self.language][moment.weekday()]
        month = MONTHS[self.language][moment.month - 1]
        year = f" {moment.year}" if with_year else ""
        if self.language == "en":
            return f"{weekday} {moment.day} {month}{year}"
        if self.language == "da":
            return f"{weekday} den {moment.day}. {month}{year}"
        return f"{weekday} {moment.day}. {month}{year}"

    def clock(self, moment: datetime) -> str:
        # Norwegian and Danish write 17.00; English 17:00.
        separator = ":" if self.language == "en" else "."
        return f"{moment.hour:02d}{separator}{moment.minute:02d}"

    def when_parts(
        self, start: datetime, end: datetime, *, today: datetime | None = None
    ) -> tuple[str, str]:
        """('Tirsdag 12. januar', 'kl. 17.00–19.00'). The year is shown only
        when it is not the current one; a span past midnight names both days."""
        with_year = today is not None and start.year != today.year
        day = self.date(start, with_year=with_year)
        prefix = self("time_prefix")
        span = f"{self.clock(start)}–"
        if end.date() == start.date():
            span += self.clock(end)
        else:
            span += f"{self.date(end, with_year=with_year)} {self.clock(end)}"
        return day[0].upper() + day[1:], f"{prefix} {span}" if prefix else span

    def when(self, start: datetime, end: datetime, *, today: datetime | None = None) -> str:
        """A local time span in one line: 'Tirsdag 12. januar kl. 17.00–19.00'."""
        day, span = self.when_parts(start, end, today=today)
        return f"{day} {span}" if self("time_prefix") else f"{day}, {span}"


def normalise(language: str | None) -> str | None:
    """One of LANGUAGES for a tag like 'nb', 'nb-NO', 'no', 'da_DK'; else None."""
    if not language:
        return None
    primary = language.strip().lower().replace("_", "-").split("-")[0]
    return _TAG_ALIASES.get(primary)


def choose_language(
    picked: str | None,
    municipality_locale: str | None,
    accepted: Iterable[str] = (),
) -> str:
    """The page's language: the volunteer's pick, their municipality's
    locale, the browser's preferences (best first), or bokmål."""
    for candidate in (picked, municipality_locale, *accepted):
        language = normalise(candidate)
        if language is not None:
            return language
    return DEFAULT_LANGUAGE
