"""Hasty writing spelled out: the words people text (« cb », « qd », « presta », « enviro ») and a few
colloquial turns (« à la base », « en régie », « on est dedans ? ») written the way the entries,
the lexicon and the understanding's patterns read French.

Applied to a question before anything reads it (the knowledge analysis, the slots, the intents'
patterns), and by the analysis to every text it tokenizes, so that both sides always agree. The
replacements are never keys themselves: spelling out twice changes nothing.
"""

from __future__ import annotations

import re

TEXTED_WORDS: dict[str, str] = {
    # Question words and links: « cb de copil par an », « qd est le prochain », « pk faire un spaser ».
    "cb": "combien", "cmb": "combien", "cbn": "combien",
    "qd": "quand", "kan": "quand", "kand": "quand",
    "pk": "pourquoi", "pq": "pourquoi", "pkoi": "pourquoi", "pourkoi": "pourquoi",
    "cmt": "comment", "cmnt": "comment", "koman": "comment",
    "koi": "quoi", "kwa": "quoi", "ki": "qui", "ke": "que",
    "kel": "quel", "kels": "quels", "kelle": "quelle", "kelles": "quelles",
    "tt": "tout", "ts": "tous", "tte": "toute", "ttes": "toutes",
    "pr": "pour", "ds": "dans", "dc": "donc", "bcp": "beaucoup", "mm": "même",
    "qq": "quelques", "qqs": "quelques", "qqn": "quelqu’un", "qqch": "quelque chose",
    "pcq": "parce que", "psk": "parce que", "pck": "parce que", "paske": "parce que",
    "jsp": "je ne sais pas", "chais": "je ne sais", "ya": "il y a", "yen": "il y en",
    "tjr": "toujours", "tjrs": "toujours", "tjs": "toujours",
    "mtn": "maintenant", "mnt": "maintenant", "auj": "aujourd’hui", "ajd": "aujourd’hui",
    "pb": "problème", "pbs": "problèmes", "pbm": "problème", "pblm": "problème",
    "nv": "nouveau", "nvx": "nouveaux", "nvl": "nouvelle", "nvle": "nouvelle", "nvlle": "nouvelle",
    "vrmt": "vraiment", "bjr": "bonjour", "rdv": "rendez-vous", "msg": "message",
    # Clipped words of the trade: « un presta extérieur », « clause enviro », « consid sociale ».
    "presta": "prestataire", "prestas": "prestataires",
    "enviro": "environnementale", "envir": "environnementale", "envt": "environnement",
    "ecolo": "écologique", "écolo": "écologique", "ecolos": "écologiques", "écolos": "écologiques",
    "consid": "considération", "considé": "considération", "conside": "considération",
    "ex": "exemple", "exs": "exemples",
    "chrono": "chronologie",
    "restau": "restauration",
    "doc": "document", "docs": "documents",
    "compta": "comptabilité",
    "bdc": "bon de commande",
    # Everyday names: « les petites boîtes du coin » are small local firms.
    "boite": "entreprise", "boîte": "entreprise", "boites": "entreprises", "boîtes": "entreprises",
}
"""Typed form → written form (folded keys are enough: texting drops accents)."""

_WORD = re.compile(
    r"(?<![\w'’-])(" + "|".join(sorted(map(re.escape, TEXTED_WORDS), key=len, reverse=True)) + r")(?![\w'’-])",
    re.IGNORECASE,
)
"""A texted word standing alone: not « l'ex-DGS », not a piece of a code or a hyphenated word."""

COLLOQUIAL_TURNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # « le référent, il fait quoi ? »: his or her role.
    (re.compile(r"\b(?:il|elle) fait quoi\b", re.IGNORECASE), "quel est son rôle"),
    (re.compile(r"\b(?:ils|elles) font quoi\b", re.IGNORECASE), "quel est leur rôle"),
    # « les entreprises du coin »: local ones.
    (re.compile(r"\bdu coin\b", re.IGNORECASE), "locales"),
    # « on n'est pas obligés quand même ? »: no « quand » (when) asked.
    (re.compile(r"\bquand m[êe]me\b", re.IGNORECASE), "tout de même"),
    # « d'où vient le SPASER à la base ? »: its origin, not a base of anything.
    (re.compile(r"\b[àa] la base\b", re.IGNORECASE), "à l’origine"),
    # « AMO ou en régie ? »: done by one's own staff (a « régie de quartier » is no such thing).
    (re.compile(r"\ben r[ée]gie\b", re.IGNORECASE), "en interne"),
    # « on est dedans ou pas ? », « ça rentre dedans ? »: whether one is concerned.
    (
        re.compile(r"\b(?:est|sont|suis|sommes|[êe]tes|serait|seraient|serons|rentre|rentrent|entre|entrent) dedans\b", re.IGNORECASE),
        "concerné",
    ),
    # « les élus doivent être dans la boucle ? »: involved.
    (re.compile(r"\b(?:dans|hors de) la boucle\b", re.IGNORECASE), "associés"),
    # « on part de zéro ? »: from scratch, not a share (« part »).
    (re.compile(r"\b(?:part|partir|partons|partez|partent|repart|repartir) (?:de|à) z[ée]ro\b", re.IGNORECASE), "de zéro"),
    # « les + et les - », « le pour et le contre »: its advantages and drawbacks.
    (re.compile(r"\bles \+ et les -(?!\w)|\ble pour et le contre\b", re.IGNORECASE), "avantages et inconvénients"),
)
"""Turns of speech whose meaning is not in their words one by one, in the writing of a hasty message."""


_CONDITION = re.compile(r"\bsi\b(?! *[?!.]* *$)|\bs['’]il\b|\bau lieu de\b|\bpas (?:atteint|tenu|rempli)", re.IGNORECASE)
_WHAT_FOLLOWS = re.compile(r"\b(?:il se passe|qu['’]est-ce qui se passe|(?:ça|ca) donne) quoi(?= *[?!.]* *$)", re.IGNORECASE)
"""« si on n'atteint pas la cible, ça donne quoi ? »: after a condition, its consequence, asked at the end."""


def spelled_out(text: str) -> str:
    """`text` with its texted words and colloquial turns written out."""
    if not text:
        return text
    text = _WORD.sub(lambda found: _as_written(found[0]), text)
    for pattern, meaning in COLLOQUIAL_TURNS:
        text = pattern.sub(meaning, text)
    return _WHAT_FOLLOWS.sub("quelle conséquence", text) if _CONDITION.search(text) else text


def _as_written(typed: str) -> str:
    return TEXTED_WORDS.get(typed.lower(), typed)
