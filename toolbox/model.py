"""The content model: one definition per content type, from which the validator, the JSON Schema,
the templates, the scaffolder and the pages are all derived.

A field's `kind` (toolbox.fields) says how it is checked and what its schema is; `vocabulary` names a
data file in `vocabularies/`; `help` is the one-line Danish explanation shown in templates, the
schema and error messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import LONG_TEXT_MAX, TEXT_MAX, Field, field_schema

__all__ = ["Field", "ContentType", "METHOD", "CASE", "TYPES", "field_schema", "json_schema", "TEXT_MAX", "LONG_TEXT_MAX"]


@dataclass(frozen=True)
class ContentType:
    """A kind of contributed file: where it lives, its URL prefix, its fields and body sections."""

    name: str
    label: str
    folder: str
    url_prefix: str
    fields: tuple[Field, ...]
    sections: tuple[str, ...]

    def field(self, name: str) -> Field | None:
        """The field called `name`, if the type has one."""
        for f in self.fields:
            if f.name == name:
                return f
        return None

    @property
    def field_names(self) -> list[str]:
        """Every key the type allows, in template order."""
        return [f.name for f in self.fields]


_TITLE = Field("title", "Titel", "line", "Navnet, som det står i overskriften.")
_DESCRIPTION = Field("description", "Beskrivelse", "line", "Én linje om, hvad det handler om.")
_TAGS = Field("tags", "Emneord", "tags", "Emneord med små bogstaver, der hjælper med at finde siden.")

METHOD = ContentType(
    name="method",
    label="metodekort",
    folder="methods",
    url_prefix="metoder",
    fields=(
        Field("title", "Titel", "line", "Navnet, som det står i overskriften.", max_length=60),
        Field("description", "Beskrivelse", "line", "Én sætning om, hvad kortet handler om.", max_length=150),
        Field("kind", "Type", "term", "Metode (ét møde), forløb (flere møder) eller god praksis (på tværs).",
              vocabulary="kinds"),
        Field("levels", "Niveau", "terms", "Hvor i kommunens arbejde kortet bruges (et eller to).",
              vocabulary="levels", max_items=2),
        Field("approaches", "Tilgang", "terms", "De tilgange, metoden passer til.", vocabulary="approaches"),
        Field("phases", "Fase", "terms", "De faser i en proces, metoden kan bruges i.", vocabulary="phases"),
        Field("duration", "Tid", "range", "Tid i minutter i alt: den korteste og den længste realistiske tid."),
        Field("participants", "Deltagere", "range", "Antal deltagere: færrest og flest.", min_value=1),
        Field("audiences", "Målgruppe", "terms", "Hvem metoden bruges sammen med.", vocabulary="audiences"),
        Field("areas", "Område", "terms", "Kun hvis metoden hører til bestemte fagområder; udelad feltet ellers.",
              vocabulary="areas", required=False),
        Field("difficulty", "Sværhedsgrad", "term", "Hvor meget erfaring metoden kræver.", vocabulary="difficulty"),
        Field("materials", "Materialer", "lines", "Det, der skal bruges, én kort ting pr. linje (højst 5).",
              max_length=45, max_items=5),
        Field("preparation", "Forberedelse", "text", "Det, der skal være på plads, før I går i gang.", max_length=250),
        Field("steps", "Sådan gør du", "steps", "Trinene med minutter: 'minutes:' og 'do:' for hvert trin.",
              max_length=110, min_items=3, max_items=8),
        Field("not_when", "Brug den ikke, når", "line", "Resten af sætningen 'Brug den ikke, når ...'.",
              max_length=170),
        Field("variations", "Variationer", "lines", "Andre måder at gøre det på, én pr. linje (1–3).",
              max_length=160, max_items=3),
        Field("worksheets", "Arbejdsark", "slugs", "Filnavne på arbejdsark i docs/ark/, som kortet bruger.",
              required=False),
        Field("related", "Beslægtede metoder", "slugs", "Filnavne (uden .md) på beslægtede metodekort.", required=False),
        Field("sources", "Kilder", "sources", "Hvor metoden kommer fra: titel og eventuelt en https-adresse."),
        _TAGS,
        # A renamed card keeps its old addresses (printed QR codes, links): the build writes a page at
        # /metoder/<former slug>/ that sends the reader on to the card (plan.redirect_pages).
        Field("former_slugs", "Tidligere filnavne", "slugs",
              "Kun hvis kortet er omdøbt: de gamle filnavne (uden .md); de gamle adresser sender videre hertil.",
              required=False, asked=False),
    ),
    sections=("Formål", "Tips", "Overvejelser i en kommune"),
)

CASE = ContentType(
    name="case",
    label="case",
    folder="cases",
    url_prefix="cases",
    fields=(
        _TITLE,
        _DESCRIPTION,
        Field("municipality", "Kommune", "term", "Kommunens navn, stavet som på kommunens hjemmeside.", vocabulary="municipalities"),
        Field("year", "År", "year", "Året, arbejdet fandt sted. Udelades, hvis kilden ikke nævner det.", required=False),
        Field("areas", "Område", "terms", "De fagområder, casen handler om.", vocabulary="areas"),
        Field("methods", "Metoder", "slugs", "Filnavne (uden .md) på de metodekort, der blev brugt."),
        Field("approach", "Tilgang", "term", "Den tilgang, arbejdet bygger på.", vocabulary="approaches"),
        Field("roles", "Hvem var med", "lines", "Roller, ikke navne: hvem deltog?"),
        Field("results", "Det kom der ud af", "lines", "Hvad der kom ud af arbejdet, én ting pr. linje.", max_length=LONG_TEXT_MAX),
        Field("source", "Kilde", "source", "Hvor oplysningerne kommer fra: organisation, dokument og eventuelt adresse."),
        Field("contact", "Kontakt", "line", "En rolle eller en enhed, man kan spørge, ikke en person."),
        _TAGS,
    ),
    sections=("Baggrund", "Forløbet"),
)

TYPES = {METHOD.folder: METHOD, CASE.folder: CASE}

# Characters a section of a method card may hold, and what the printed card may hold in all (the
# printed sections, the steps, 'not_when' and the preparation), so it prints on one A5 page with the
# longest title, description and materials the fields allow. Measured, not guessed:
# tests/browser/test_print.py prints a card at every limit at once and asserts it fits one page.
SECTION_BUDGET = {"Formål": 280, "Tips": 280, "Overvejelser i en kommune": 400}
PRINTED_SECTIONS = ("Formål", "Tips")      # "Overvejelser" and the variations stay online
CARD_BUDGET = 1250                          # printed sections + steps + not_when + preparation


def json_schema(ctype: ContentType) -> dict:
    """The JSON Schema of a content type's front matter (published in the site and used by editors)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Front matter for et {ctype.label} i Værktøjskassen",
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in ctype.fields if f.required],
        "properties": {f.name: field_schema(f) for f in ctype.fields},
    }
