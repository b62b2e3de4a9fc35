"""The method chooser ("Find en metode til jeres situation"): a situation in, a ranked short list out.

A situation is what a visitor answers: the phase they are in, the time they have, how many take part
and who they are. Its keys and values are the filter's own URL parameters on /metoder/ (toolbox.facets:
`fase`, `tid`, `deltagere`, `maalgruppe`), so the chooser's form submits to the filter when no
JavaScript runs, and a shared link reproduces the short list.

Everything comes from the cards' own front matter (no hand-kept mapping from situations to methods).
`chooser_data` turns the cards into the data file the browser reads (DATA_PATH); `rank` is the
ranking, which docs/assets/js/chooser.js ports line by line (tests/test_chooser.py runs both on every
situation and requires the same output).

The ranking rules, in order:

1. Hard filters (a card that fails one is not suggested):
   - time: the card's shortest time may exceed the most the chosen time band allows by at most
     TOLERANCE (a quarter): with 45–90 minutes, a card that takes at least 112 minutes is out;
   - participants: the card's range must reach the chosen group-size band within TOLERANCE on either
     side: for 16–40 people, a card for at most 12 (less than 80 % of 16) is out, and so is one that
     needs at least 51 (more than 125 % of 40).
   Within the tolerance the card is a *stretch*: it stays, and its watch-out line says by how much.
2. Score (higher first), each point only for what the visitor chose:
   - PHASE (8) when the card names the chosen phase: more than all other points together, so every
     card for the phase ranks above every card that is not;
   - AUDIENCE (4) when the card names the chosen kind of participants;
   - TIME_FIT (2) when the card fits in the time without stretching, and SLOT (1) more when its range
     reaches into the band (it uses the time, rather than filling a corner of it);
   - PEOPLE_FIT (2) when the card's range overlaps the group-size band (no stretch).
3. Ties: easier difficulty first (the vocabulary's order: let, middel, krævende), then shorter
   preparation (the length of its 'preparation' text: how much must be in place beforehand), then
   the card's file name, so the order never depends on the browser.

"Why it fits" names what matched ("Passer til idéudvikling med borgere, 25–45 minutter, 4–36
deltagere"; "Passer i tid og antal: ..." when neither phase nor audience matched); "what to watch out for" names each stretch or mismatch, or else the card's own
'not_when' ("Brug den ikke, når ...").
"""

from __future__ import annotations

from . import vocab
from .loader import Document

DATA_PATH = "assets/data/chooser.json"       # where the site serves chooser_data
SHORT_LIST = 5                               # how many suggestions the chooser shows
KEYS = ("fase", "tid", "deltagere", "maalgruppe")   # the situation's keys: the filter's facet ids
TOLERANCE = (5, 4)                           # a stretch may go 5/4 beyond a band (and 4/5 below it)
PHASE, AUDIENCE, TIME_FIT, SLOT, PEOPLE_FIT = 8, 4, 2, 1, 2


def _lower_first(text: str) -> str:
    """'Under 45 minutter' -> 'under 45 minutter' (a band's label inside a sentence)."""
    return text[:1].lower() + text[1:]


def _duration_text(lo: int, hi: int) -> str:
    """The card's time as the site writes it ('30–90 minutter', '4–7 timer')."""
    from .render import minutes
    return minutes({"min": lo, "max": hi})


def chooser_data(methods: list[Document]) -> dict:
    """The data file of the chooser: the options of each question (ids are the filter's option
    ids) and, per card, what the ranking reads, sorted by file name."""
    phases, audiences = vocab.load("phases"), vocab.load("audiences")
    durations, sizes = vocab.load("durations"), vocab.load("group_sizes")
    difficulty = vocab.load("difficulty").values
    cards = []
    for doc in sorted(methods, key=lambda d: d.slug):
        m = doc.meta
        dur, ppl = m["duration"], m["participants"]
        cards.append({
            "slug": doc.slug,
            "title": str(m["title"]),
            "phases": [phases.get(v).slug for v in m["phases"] if phases.get(v)],
            "audiences": [audiences.get(v).slug for v in m["audiences"] if audiences.get(v)],
            "duration": [dur["min"], dur["max"]],
            "participants": [ppl["min"], ppl["max"]],
            "difficulty": difficulty.index(m["difficulty"]) if m["difficulty"] in difficulty else len(difficulty),
            "preparation": len(str(m["preparation"])),
            "not_when": str(m["not_when"]),
            "duration_text": _duration_text(dur["min"], dur["max"]),
            "people_text": (f"{ppl['min']}–{ppl['max']} deltagere" if ppl["min"] != ppl["max"]
                            else f"{ppl['min']} deltagere"),
        })
    return {
        "limit": SHORT_LIST,
        "fase": [{"id": t.slug, "label": t.label, "word": t.value} for t in phases.terms],
        "maalgruppe": [{"id": t.slug, "label": t.label, "word": t.value} for t in audiences.terms],
        "tid": [{"id": t.value, "label": t.label, "min": t.extra["min"], "max": t.extra["max"]}
                for t in durations.terms],
        "deltagere": [{"id": t.value, "label": t.label, "min": t.extra["min"], "max": t.extra["max"]}
                      for t in sizes.terms],
        "methods": cards,
    }


def situation_from(params: dict, data: dict) -> dict:
    """The situation in query parameters ({key: [values]} or {key: value}): for each question the
    first value that is one of its options (the filter allows several, the chooser asks for one),
    else ''. Anything else is ignored."""
    out = {}
    for key in KEYS:
        raw = params.get(key, [])
        raw = raw if isinstance(raw, list) else [raw]
        ids = {o["id"] for o in data[key]}
        values = [part for v in raw for part in str(v).split(",") if part in ids]
        out[key] = values[0] if values else ""
    return out


def _option(data: dict, key: str, value: str) -> dict | None:
    return next((o for o in data[key] if o["id"] == value), None)


def _words(data: dict, key: str, ids: list[str]) -> str:
    """Vocabulary words joined as Danish prose: 'borgere', 'medarbejdere og ledere', 'a, b og c'."""
    words = [o["word"] for i in ids for o in data[key] if o["id"] == i]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def assess(card: dict, situation: dict, data: dict) -> dict | None:
    """One card in one situation: None when a hard filter fails, else its score and its two lines."""
    num, den = TOLERANCE
    score, fits, watch = 0, [], []
    phase, audience = situation["fase"], situation["maalgruppe"]
    time, people = _option(data, "tid", situation["tid"]), _option(data, "deltagere", situation["deltagere"])
    if time:
        lo, hi = card["duration"]
        if lo * den > time["max"] * num:
            return None
        if lo > time["max"]:
            watch.append(f"tager mindst {lo} minutter; I har {_lower_first(time['label'])}")
        else:
            score += TIME_FIT + (SLOT if hi >= time["min"] else 0)
    if people:
        lo, hi = card["participants"]
        if hi * num < people["min"] * den or lo * den > people["max"] * num:
            return None
        if hi < people["min"]:
            watch.append(f"passer til højst {hi} deltagere; I er {_lower_first(people['label'])}")
        elif lo > people["max"]:
            watch.append(f"kræver mindst {lo} deltagere; I er {_lower_first(people['label'])}")
        else:
            score += PEOPLE_FIT
    purpose = ""
    if phase:
        if phase in card["phases"]:
            score += PHASE
            purpose = "til " + _words(data, "fase", [phase])
        else:
            watch.insert(0, "er ikke beskrevet til " + _words(data, "fase", [phase]))
    if audience:
        if audience in card["audiences"]:
            score += AUDIENCE
            purpose += (" med " if purpose else "til ") + _words(data, "maalgruppe", [audience])
        else:
            watch.insert(1 if phase and phase not in card["phases"] else 0,
                         f"er beskrevet til {_words(data, 'maalgruppe', card['audiences'])}, "
                         f"ikke {_words(data, 'maalgruppe', [audience])}")
    if time and card["duration"][0] <= time["max"]:
        fits.append(card["duration_text"])
    if people and card["participants"][1] >= people["min"] and card["participants"][0] <= people["max"]:
        fits.append(card["people_text"])
    if purpose:
        why = ", ".join(["Passer " + purpose] + fits)
    elif fits:
        why = ("Passer i tid og antal: " if time and people and len(fits) == 2
               else "Passer i tid: " if time and card["duration"][0] <= time["max"] else "Passer i antal: ") + ", ".join(fits)
    else:
        why = "Det nærmeste bud blandt kortene"
    caution = (watch[0][:1].upper() + "; ".join(watch)[1:]) if watch else "Brug den ikke, når " + card["not_when"]
    if not caution.endswith("."):
        caution += "."
    return {"slug": card["slug"], "score": score, "why": why + ".", "watch": caution}


def rank(data: dict, situation: dict) -> list[dict]:
    """Every card that passes the hard filters, best first (score, then the tie-breaks); empty when
    the visitor has answered nothing."""
    if not any(situation.get(k) for k in KEYS):
        return []
    cards = {c["slug"]: c for c in data["methods"]}
    found = [a for a in (assess(c, situation, data) for c in data["methods"]) if a]
    found.sort(key=lambda a: (-a["score"], cards[a["slug"]]["difficulty"], cards[a["slug"]]["preparation"],
                              a["slug"]))
    return found


def chooser_html(methods: list[Document], page_url: str, list_url: str = "metoder/") -> str:
    """The chooser's form and, in an inert <template>, one result shell per card (its identity:
    kind and phase badges, its link and its print link) for chooser.js to fill and order. The form
    submits GET to the filter (`list_url`): without JavaScript the answers become the filter's."""
    from .icons import icon
    from .identity import badge, card_identity
    from .render import rel, template
    data = chooser_data(methods)
    docs = {d.slug: d for d in methods}
    phases = vocab.load("phases")
    cards = [{"slug": c["slug"], "title": c["title"], "href": rel(page_url, docs[c["slug"]].url),
              "print": rel(page_url, "udskriv/") + f"?kort={c['slug']}", "card": card_identity(docs[c["slug"]])}
             for c in data["methods"]]
    return template(
        "chooser.html", cards=cards, config=rel(page_url, DATA_PATH), action=rel(page_url, list_url),
        on_list=page_url.rstrip("/") == list_url.rstrip("/"), questions=data,
        deck=rel(page_url, "udskriv/"), plan=rel(page_url, "udskriv/plan/"),
        phase_badges={t.slug: badge("phases", t.value) for t in phases.terms},
        icons={"why": icon("material/check-circle-outline"), "watch": icon("material/alert-outline"),
               "print": icon("material/printer-outline"), "plan": icon("material/clipboard-text-clock-outline")})
