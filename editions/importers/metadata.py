"""Metadata shared by the parsers: dates, times, languages, titles, printed sources, and the
heading lines a telegram carries above its text (numbers, classification, dateline).

Everything here is pure string work; the rules are written for the way French diplomatic
documents and their English translations are printed, in either language.
"""

import datetime
import re
from typing import Any

import langcodes
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from ..text import (
    MONTH_ABBREVIATIONS_EN,
    MONTH_ABBREVIATIONS_FR,
    MONTHS_EN,
    MONTHS_FR,
    fold,
    months_by_number,
)

# Month names and abbreviations, English and French, with and without accents: number.
MONTHS = {
    name: number
    for number, names in months_by_number(
        MONTHS_EN, MONTH_ABBREVIATIONS_EN, MONTHS_FR, MONTH_ABBREVIATIONS_FR
    ).items()
    for written in names
    for name in (written.lower(), fold(written))
}
# Longest names first, so "juillet" is not read as "juil".
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?P<d>\d{1,2})(?:er|st|nd|rd|th)?"
_YEAR = r"(?P<y>1[6-9]\d\d|20\d\d)"
DATE_PATTERNS = [
    # 26 October 1962, 1er novembre 1962, 7th of November 1962
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?(?P<m>{_MONTH})\.?,?\s+{_YEAR}\b", re.I),
    # November 10, 1962
    re.compile(rf"\b(?P<m>{_MONTH})\.?\s+{_DAY},?\s+{_YEAR}\b", re.I),
    # 1962-11-10
    re.compile(r"\b(?P<y>1[6-9]\d\d|20\d\d)-(?P<mm>\d{2})-(?P<d>\d{2})\b"),
]


def find_date(text: str) -> tuple[datetime.date, re.Match[str]] | None:
    """The first written-out or ISO date in ``text``, with where it was found."""
    found = []
    for pattern in DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            found.append(match)
    for match in sorted(found, key=lambda m: m.start()):
        month = int(match["mm"]) if "mm" in match.groupdict() else MONTHS[match["m"].lower()]
        try:
            return datetime.date(int(match["y"]), month, int(match["d"])), match
        except ValueError:
            continue  # 31 February: not a date after all
    return None


def parse_whole_date(text: str) -> datetime.date | None:
    """A date when ``text`` is nothing but a date ("November 10, 1962", "le 10 novembre 1962.")."""
    text = text.strip().rstrip(".").strip()
    text = re.sub(r"^(?:le|the|on)\s+", "", text, flags=re.I)
    found = find_date(text)
    if found and found[1].start() == 0 and found[1].end() == len(text):
        return found[0]
    return None


def parse_numeric_date(text: str) -> datetime.date | None:
    """A day/month/year date as the CVCE prints it: 06/07/2016 is 6 July 2016."""
    match = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*\.?", text)
    if not match:
        return parse_whole_date(text)
    day, month, year = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


TIME_PATTERNS = [
    # 8 p.m., 2.20 a.m., 11:45 pm
    re.compile(r"\b(?P<h>\d{1,2})(?:[.:](?P<mi>\d{2}))?\s*(?P<ap>[ap])\.?\s*m\b\.?", re.I),
    # 20 h 30, 20h, 14 heures 15
    re.compile(r"\b(?P<h>\d{1,2})\s*(?:h|heures?)\s*(?P<mi>\d{2})?\b", re.I),
]


def find_time(text: str) -> datetime.time | None:
    for pattern in TIME_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        hour, minute = int(match["h"]), int(match["mi"] or 0)
        ampm = match.groupdict().get("ap")
        if ampm:
            hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
        if hour < 24 and minute < 60:
            return datetime.time(hour, minute)
    return None


# Languages: names as records print them (in English or French) and BCP 47 codes.
LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "ru": "Russian", "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "cs": "Czech",
    "hu": "Hungarian", "ro": "Romanian", "bg": "Bulgarian", "sr": "Serbian", "hr": "Croatian",
    "sv": "Swedish", "no": "Norwegian", "da": "Danish", "fi": "Finnish", "el": "Greek",
    "tr": "Turkish", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "vi": "Vietnamese",
    "ar": "Arabic", "he": "Hebrew", "fa": "Persian", "uk": "Ukrainian", "hi": "Hindi",
    "mn": "Mongolian", "sq": "Albanian", "sk": "Slovak", "sl": "Slovenian",
}  # fmt: skip
FRENCH_LANGUAGE_NAMES = {
    "anglais": "en", "français": "fr", "francais": "fr", "allemand": "de", "espagnol": "es",
    "italien": "it", "russe": "ru", "portugais": "pt", "néerlandais": "nl", "polonais": "pl",
    "tchèque": "cs", "hongrois": "hu", "roumain": "ro", "chinois": "zh", "japonais": "ja",
}  # fmt: skip
_CODE_BY_NAME = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
_CODE_BY_NAME.update(FRENCH_LANGUAGE_NAMES)


def language_code(name: str) -> str:
    """ "English" → "en", "Français" → "fr"; "" for a name not known."""
    return _CODE_BY_NAME.get(name.strip().lower(), "")


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, LANGUAGE_NAMES.get(code.split("-")[0], ""))


def bcp47(tag: str) -> str:
    """A language tag as BCP 47 writes it ("FR-ca" -> "fr-CA", "EN" -> "en"); a tag that is
    not one is kept as written (trimmed)."""
    tag = tag.strip()
    try:
        return langcodes.standardize_tag(tag)
    except (ValueError, LookupError):
        return tag


_STOP_WORDS = {
    "fr": {
        "le", "la", "les", "des", "du", "que", "qui", "est", "une", "et", "dans", "pour",
        "pas", "sur", "au", "aux", "nous", "ne", "il", "sont", "cette", "avec", "été",
    },
    "en": {
        "the", "and", "of", "to", "is", "that", "was", "for", "it", "with", "by", "which",
        "are", "this", "have", "be", "were", "has", "not", "on",
    },
}  # fmt: skip


def guess_language(text: str) -> str:
    """ "fr" or "en" by counting common words; "" when the text is too short to tell."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    counts = {code: sum(w in stops for w in words) for code, stops in _STOP_WORDS.items()}
    best = max(counts, key=counts.__getitem__)
    others = max(v for k, v in counts.items() if k != best)
    # A few hits and a clear margin: a title in one language quoting the other stays unknown.
    if counts[best] >= 3 and counts[best] >= 2 * others:
        return best
    return ""


def is_url(value: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return True


# "Letter from Hervé Alphand to Maurice Couve de Murville (Washington, 26 October 1962)",
# "Télégramme de M. Alphand à M. Couve de Murville (Washington, 26 octobre 1962)".
_FROM_TO = re.compile(
    r"^(?:[\w’'-]+\s+){1,3}?(?:from|de|d[’'])\s*(?P<author>.+?)\s+(?:to|à)\s+(?P<recipient>.+?)"
    r"(?:\s*\((?P<paren>[^()]*)\))?\s*\.?$",
    re.I,
)
# "M. Couve de Murville to French Diplomatic Posts, Circular Telegram No. 96"
_X_TO_Y = re.compile(r"^(?P<author>[^,()]+?)\s+to\s+(?P<recipient>[^,()]+?)(?:,\s*(?P<rest>.+))?$")


MAX_TITLE = 300  # a longer "title" is a paragraph; the patterns below are not for it


def parse_title(title: str, *, bare_to: bool = False) -> dict[str, Any]:
    """Author, recipient, place, date and reference numbers a title states.

    "Letter from X to Y (place, date)" anywhere; "X to Y, reference" (the Wilson Center's
    convention) only with ``bare_to``, as a plain title like "A Return to Normal" is no letter.
    """
    fields: dict[str, Any] = {}
    if len(title) > MAX_TITLE:
        return fields
    match = _FROM_TO.match(title) or (_X_TO_Y.match(title) if bare_to else None)
    # Names and offices start with a capital ("M. Alphand", "the Ambassador" aside):
    # "Note de synthèse à l'attention du ministre" names nobody.
    if match and not re.match(r"[A-ZÀ-Ý]|the\s", match["author"]):
        match = None
    if match:
        fields["author"] = match["author"].strip()
        fields["recipient"] = match["recipient"].strip()
        groups = match.groupdict()
        if groups.get("paren"):
            fields.update(_place_and_date(groups["paren"]))
        if groups.get("rest") and _REFERENCE.match(groups["rest"]):
            fields["reference_numbers"] = groups["rest"].strip().rstrip(".")
    if "date" not in fields:
        found = find_date(title)
        if found:
            fields["date"] = found[0]
    return fields


def _place_and_date(text: str) -> dict[str, Any]:
    """ "Washington, 26 October 1962" → place and date."""
    fields: dict[str, Any] = {}
    found = find_date(text)
    if found:
        fields["date"] = found[0]
        place = text[: found[1].start()].strip().rstrip(",").strip()
        place = re.sub(r"[,\s]+le$", "", place, flags=re.I)
        if place and len(place) <= 60 and not any(c.isdigit() for c in place):
            fields["place"] = place
    return fields


# A period that ends a sentence, not an abbreviation ("p.", "dir.", "M.").
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:p|pp|dir|éd|ed|eds|vol|t|no|nos|n°|M|MM|Mr|Mrs|Dr|St|cf|ibid|op|cit|[A-Z])\.$"
)
_PAGES = re.compile(r"(?:^|[\s,(])(?:pp?|S)\.\s*(?P<pages>\d+(?:\s*[-–]\s*\d+)?)\b")
_PUBLICATION = re.compile(
    r"(?P<place>\b(?!(?:Volume|Vol|Tome|Book)\b)[A-ZÀ-Ý][\w’'\- ]{1,40}?)\s*:\s*"
    r"(?P<publisher>[^:;,()]+?),\s*(?P<year>1[6-9]\d\d|20\d\d)\b"
)
_VOLUME = re.compile(r"\b(?:Volume|Vol\.|Tome|Book|t\.)\s*[IVXLCDM\d]+\b")


def citation_parts(text: str) -> list[str]:
    """Split a bibliographic citation at its full stops, keeping abbreviations together."""
    pieces: list[str] = []
    for piece in re.split(r"(?<=\.)\s+", text.strip()):
        if pieces and _ABBREVIATION.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


def parse_printed_source(citation: str) -> dict[str, str]:
    """Series, volume, publication and pages of a printed source.

    Handles the CVCE's full-stop style ("Documents diplomatiques français. Volume II: 1962, 1er
    juillet-31 décembre. Paris: Imprimerie nationale, 1999. p. 335-336.") and the Wilson
    Center's comma style ("Documents Diplomatiques Français, 1962, Tome II (1er Juillet-31
    Décembre), (Paris: Imprimerie Nationale, 1999), pp. 399-403.").
    """
    fields: dict[str, str] = {}
    if match := _PAGES.search(citation):
        fields["source_pages"] = re.sub(r"\s+", "", match["pages"])
        citation = citation[: match.start()] + citation[match.end() :]
    if match := _PUBLICATION.search(citation):
        place, publisher = match["place"].strip(), match["publisher"].strip()
        fields["source_publication"] = f"{place}: {publisher}, {match['year']}"
        citation = citation[: match.start()]
    citation = re.sub(r"[\s,.(]+$", "", citation)
    if match := _VOLUME.search(citation):
        fields.update(_series_and_volume(citation, match.start()))
    elif citation:
        series = citation_parts(citation)[-1]
        fields["source_series"] = series.rstrip(".,; ").strip()
    return {k: v for k, v in fields.items() if v}


def _series_and_volume(citation: str, start: int) -> dict[str, str]:
    before, volume = citation[:start], citation[start:]
    # "Documents Diplomatiques Français, 1962, Tome II": the year belongs to the volume.
    if year := re.search(r",\s*(\d{4}),\s*$", before):
        before, volume = before[: year.start()], f"{year[1]}, {volume}"
    volume = citation_parts(volume)[0].rstrip(".,; ")
    sentences = citation_parts(before.strip().rstrip(","))
    series = sentences[-1].rstrip(".,; ") if sentences else ""
    return {"source_series": series.strip(), "source_volume": volume.strip()}


# Heading lines: what a telegram prints above its text.
_REFERENCE = re.compile(
    r"^(?P<ref>(?:(?:T|Tél|Tel|D|Dép|Dépêche|Telegram|Télégramme|Dispatch|Despatch|Circular|"
    r"circulaire|Circulaire|Letter|Lettre|Note|Memorandum|Message)\.?\s+){1,3}"
    r"(?:Nos?\.?|nos?\.?|N[°o]s?\.?|n[°o]s?\.?|numbers?|numéros?)\s*"
    r"\d+(?:\s*(?:to|à|and|et|[-–,/])\s*\d+)*)[\s.,;:]*(?P<rest>.*)$"
)
CLASSIFICATIONS = {
    "priority", "absolute priority", "top priority", "secret", "very secret", "top secret",
    "confidential", "strictly confidential", "very confidential", "personal", "personal and "
    "confidential", "limited circulation", "restricted", "restricted circulation", "reserved",
    "urgent", "very urgent", "most urgent", "immediate", "flash", "for immediate action",
    "priorité", "priorité absolue", "très secret", "confidentiel", "très confidentiel",
    "personnel", "personnel et confidentiel", "diffusion restreinte", "réservé", "très urgent",
    "immédiat", "extrême urgence",
}  # fmt: skip
RECEIVED_WORD = r"(?:Received|Reçu|Recu|Arrivé|Arrivée)\b"
_RECEIVED = re.compile(rf"\(\s*(?P<note>{RECEIVED_WORD}[^()]*?)\s*\)", re.I)
_RECEIVED_LINE = re.compile(rf"\(?\s*(?P<note>{RECEIVED_WORD}[^()]*?)\s*\)?\.?", re.I)


def parse_classification(text: str) -> str | None:
    """ "Priority. Secret. Limited circulation." → "Priority, Secret, Limited circulation"."""
    parts = [p.strip() for p in re.split(r"[.,;]\s*|\s+[-–]\s+", text) if p.strip()]
    if parts and all(p.lower() in CLASSIFICATIONS for p in parts):
        return ", ".join(parts)
    return None


def parse_heading_line(line: str) -> dict[str, Any] | None:
    """The document fields one heading line states, or None when it is not a heading line.

    A heading line is a reference ("T. Nos 5983 to 5985", optionally followed by the
    classification), a classification ("Very Secret"), a date ("10 November 1962") or a
    dateline ("Washington, 26 October 1962. (Received: 27 October. 2.20 a.m.)").
    """
    line = line.strip()
    if not line or len(line) > 200:
        return None
    if match := _REFERENCE.match(line):
        fields: dict[str, Any] = {"reference_numbers": match["ref"].strip()}
        rest = match["rest"].strip()
        if not rest:
            return fields
        classification = parse_classification(rest)
        if classification is None:
            return None
        return fields | {"classification": classification}
    if classification := parse_classification(line):
        return {"classification": classification}
    received = _RECEIVED_LINE.fullmatch(line)
    if received and len(line) <= 80 and re.search(r"\d", line):
        return {"received_note": received["note"]}  # on a line of its own below the dateline
    return parse_dateline(line)


def parse_dateline(line: str) -> dict[str, Any] | None:
    """ "Washington, 26 October 1962. (Received: 27 October. 2.20 a.m.)", "Paris, le 10
    novembre 1962, 20 h." or a bare date; None for anything else."""
    fields: dict[str, Any] = {}
    if received := _RECEIVED.search(line):
        fields["received_note"] = received["note"]
        line = (line[: received.start()] + line[received.end() :]).strip()
    found = find_date(line)
    if not found:
        return None
    date, match = found
    place = line[: match.start()].strip()
    place = re.sub(r"(?:,\s*|\s+)(?:le|the|on)$", "", place, flags=re.I).rstrip(", ").strip()
    if place and not re.fullmatch(r"[A-ZÀ-Ý][\w’'. -]{0,40}", place):
        return None
    tail = line[match.end() :].strip(" ,.")
    time = find_time(tail) if tail else None
    if tail and time is None:
        return None  # more than a dateline: running text that happens to start with a date
    fields["date"] = date
    if place:
        fields["place"] = place
    if time:
        fields["time"] = time
    return fields


def fill_blanks(target: dict[str, Any], values: dict[str, Any]) -> None:
    """Copy the values ``target`` does not have yet (the first source a field comes from wins)."""
    for key, value in values.items():
        if value not in (None, "") and target.get(key) in (None, ""):
            target[key] = value
