"""One understanding of everything typed: a knowledge question, a data question (an intent with
what it is about), a neighbouring subject, or nothing known.

The question is read for what it names (an indicator, a directorate, a committee, an axis); the
rest of it is matched against the intents' phrasings, the whole of it against the knowledge
entries. A question that names an indicator or a directorate of the organisation is about its
data when an intent fits the rest; otherwise the better-covered of the two wins. The knowledge
answer itself, its context weighed, comes from knowledge_asked.py; who holds a role, from roles.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from domain.knowledge.entries import EntryKind
from domain.knowledge.normalize import tokenize
from domain.knowledge.retrieval import NO_WORDS, Answer, KnowledgeBase
from domain.knowledge.texting import spelled_out
from domain.text import fold
from domain.understanding.clauses import clauses
from domain.understanding.indicator_asks import (
    HISTORY_ASKED,
    HOW_MUCH,
    HOW_TO,
    ONE_INDICATOR,
    asked_of_an_indicator,
    concept_asked,
    figure_asked,
    history_over_years_asked,
    norm_asked,
    our_indicator_meant,
    rule_asked,
)
from domain.understanding.intents import INTENTS, INTENTS_BY_ENTRY_ID, Intent
from domain.understanding.knowledge_asked import KnowledgeAsked
from domain.understanding.meetings import NEXT_MEETING_NAMED, SOON, meetings_listed, no_list_asked
from domain.understanding.plain_asks import (
    Wordings,
    assistant_itself_asked,
    assistant_task_asked,
    how_to_track_asked,
    own_standing_asked,
    state_of_the_spaser_asked,
    which_directorates_asked,
)
from domain.understanding.roles import (
    IN_GENERAL,
    PERSON_INTENTS,
    holder_asked,
    lead_meant,
    no_one_asked,
    reporter_asked,
    their_role_asked,
)
from domain.understanding.slots import IndicatorName, Reading, SlotReader, advice_asked
from domain.understanding.states import (
    NOT_A_STATE,
    NOT_REACHED,
    about_to_enter,
    fits,
    my_due_asked,
    side_asked,
    what_i_must_enter,
)

INTENT_THRESHOLD = 0.4
"""Share of the question's remaining words an intent's phrasings must cover."""
KNOWLEDGE_MARGIN = 0.15
"""A knowledge answer keeps a question that names no indicator or directorate unless an intent
covers it clearly better; one that names them by their words, unless an intent covers it as well."""
INTENT_SIMILARITY = 0.3
"""Word-piece similarity that makes an intent as sure as `INTENT_THRESHOLD` coverage."""
OWN_DATA_BONUS = 0.15
_OUR_OWN = re.compile(
    r"\b(nos|notre|chez nous|on a|on en est|on suit|on \w+ combien|avons|ma direction|mes"
    r"|a ce jour|a date|en ce moment|actuellement|aujourd[' ]hui|pour l[' ]instant|jusqu[' ]ici)\b"
)
"""« nos achats », « chez nous », « à ce jour »: the organisation's own figures (now) rather than
the SPASER in general."""
_ORGANISATION_WIDE = frozenset({"summary", "catalogue", "reached_indicators", "late_indicators"})
"""Intents about every indicator: one that names an indicator asks about that one (« le bio, on
est au vert ? »)."""
_HOW_OFTEN = re.compile(r"\btou[ts] les combien\b|\bcombien de fois\b|\ba quelle (?:frequence|periodicite|cadence)\b")
"""« tous les combien ? », « à quelle fréquence ? »: how often, not how much."""
_NAME_WORDS = frozenset({"part", "nombre", "montant", "taux", "pourcentage", "proportion"})
"""The words an indicator's name starts with: « part des marchés avec une clause sociale stp »
names it and asks nothing more (its value)."""
_OF_ONE_INDICATOR = frozenset({"indicator_value", "indicator_definition", "indicator_history"})
_GOING_WELL = re.compile(
    r"\b(?:va|vont|marchen?t?|avancen?t?|se passen?t?|fonctionnen?t?) (?:bien|plutot bien)\b|\bau vert\b"
    r"|\breussites?\b|\bpoints? forts?\b|\bsucces\b|\bbonnes? nouvelles?\b"
)
_GOING_BADLY = re.compile(
    r"\bcoincen?t?\b|\b(?:va|vont|marchen?t?|se passen?t?) mal\b|\ben retard\b|\bbloquen?t?\b|\bpoints? faibles?\b"
    r"|\bderapen?t?\b|\ba la (?:traine|bourre)\b|\bau rouge\b|\bpechen?t?\b|\bdifficultes?\b|\bpoints? noirs?\b"
)
"""« ce qui va bien et ce qui coince »: both sides asked at once are the summary, not one list."""
_ONE_SIDE = frozenset({"late_indicators", "reached_indicators"})
_ABOUT_A_COMMITTEE = frozenset({"next_meeting", "upcoming_meetings", "report"})
"""Intents about a committee: one that names it (« le rapport pour le COPIL ») is about the organisation's
as a named indicator or directorate is, though the knowledge base speaks of committees too."""
DILUTED_LENGTH = 10
"""Words from which a request may be diluted in its context, and is looked for clause by clause."""
WEAK_KNOWLEDGE = 0.6
SURE_CLAUSE = 0.8
SHORT_DILUTED_LENGTH = 8
"""A long question answered weakly from the knowledge base (« …au conseil municipal la semaine
prochaine ? ») is a data request when one of its clauses, alone, is surely one (« y a-t-il des
indicateurs au vert »)."""
SURE_KNOWLEDGE = 0.9
"""A knowledge answer this sure outweighs an intent matched on the one word left once the objects
are read (« des formations pour nos acheteurs aux achats durables ? » is no request for the lead),
unless that intent asks something of the indicator named (« le bio, combien ? »)."""
THE_SPASER = "SPASER schéma"
"""Words naming the SPASER itself: every data question is about the organisation's SPASER, so
« les indicateurs qu'on suit dans le schéma » asks no more than « les indicateurs qu'on suit »."""
_LISTING = "indicateurs indic liste lister montre affiche tous toutes concernent porte existe suit suivons suivez lesquels"
"""What is left of « montre-moi tous les indicateurs gouvernance » once its axis is read: a list asked."""
_ADVICE_ON_INDICATORS = re.compile(
    r"\b(?:utilis\w*|idees?|exemples?|choisi\w*|prevoir|retenir|mettre|peu[tv]\w*|pourrai\w*|faut|faudrait|doi\w*|devrai\w*"
    r"|comment|pourquoi|realistes?|reprendre|suivre|conseil\w*|recommand\w*)\b"
)
_INDICATORS_PLURAL = re.compile(r"\b(?:indicateurs|indics?)\b")
_WHICH_ONES = re.compile(r"\blesquels\b|\bquels sont[- ]ils\b|\bla liste\b|\b(?:tous|l'ensemble des) (?:les |nos )?indic")
_ANY_SPASER = re.compile(r"\b(?:un|une|chaque|les autres|d'autres) (?:spaser|schema|collectivites?|communes?)\b")
"""« combien d'indicateurs compte le SPASER, et lesquels ? »: the organisation's indicators listed,
unless advice is asked or any SPASER is meant (« combien d'indicateurs dans un SPASER, lesquels
prévoir ? »)."""
_MENTION = re.compile(r"^\s*@\w+[\s,:]*")
"""« @assistant qui est pas à jour ? » typed without Teams making it a mention: the name is no word of the question."""
_WHO_IS_LATE = re.compile(
    r"^(?:et )?(?:c[' ]?(?:est )?)?(?:qui|ki)\b.*\b(?:(?:pas|plus) a jour|en retard|a la traine|traine\w*"
    r"|(?:pas|rien) (?:encore |toujours )?(?:rempli|saisi|renseigne|transmis|remonte|envoye|repondu)\w*)"
)
"""« qui est pas à jour ? », « qui a toujours pas rempli ? »: the directorates behind, asked of people."""
_REQUEST_VERB = re.compile(
    r"\b(?:donne|envoie|montre|sors|file|passe|affiche)[sz]?[- ](?:moi|nous)\b|\b(?:donn|envoy|montr|sort|fil|pass|affich)ez[- ](?:moi|nous)\b",
    re.IGNORECASE,
)
"""« donne-moi le PDF pour les élus », « envoyez-nous… »: the verb asks, the rest says what for the intents
(the knowledge base keeps it: « donne-moi des exemples » asks for examples)."""
_CHOOSES_AMONG_CONTEXT = re.compile(r"^\W*(?:et |mais |alors )?(?:lequel|laquelle|lesquel(?:le)?s)\b")
"""« …100 M€ dans un guide, 50 M€ sur un site : lequel des deux est à jour ? »: a clause choosing among
what the others name asks about them, never a data request of its own."""
_AN_INDICATOR_WORD = re.compile(r"\bindic\w*|\bind\b")
DEFINITION_INTENT = INTENTS_BY_ENTRY_ID["intent-indicator-definition"]
BARE_INDICATOR_INTENT = INTENTS_BY_ENTRY_ID["intent-indicator-value"]
NEXT_MEETING_INTENT = INTENTS_BY_ENTRY_ID["intent-next-meeting"]
UPCOMING_MEETINGS_INTENT = INTENTS_BY_ENTRY_ID["intent-upcoming-meetings"]
SUMMARY_INTENT = INTENTS_BY_ENTRY_ID["intent-summary"]
HELP_INTENT = INTENTS_BY_ENTRY_ID["intent-help"]


class Understood(StrEnum):
    KNOWLEDGE = "knowledge"
    INTENT = "intent"
    OUT_OF_SCOPE = "out_of_scope"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Understanding:
    kind: Understood
    answer: Answer
    intent: Intent | None = None
    reading: Reading | None = None

    @property
    def command(self) -> str | None:
        return self.intent.command(self.reading.slots) if self.intent and self.reading else None

    @property
    def choices(self) -> list[tuple[IndicatorName, str]]:
        """When the intent needs one indicator and the question names several about equally:
        each of them with the command that answers the question about it."""
        if self.intent is None or self.reading is None or not self.reading.candidates or self.command is not None:
            return []
        slots = self.reading.slots
        found = [(candidate, self.intent.command(replace(slots, indicator=candidate.code))) for candidate in self.reading.candidates]
        return [(candidate, command) for candidate, command in found if command is not None]


class Understander:
    def __init__(self, knowledge: KnowledgeBase, slots: SlotReader) -> None:
        self.knowledge = knowledge
        self.slots = slots
        self.intents = KnowledgeBase(
            (intent.as_entry() for intent in INTENTS),
            analyzer=knowledge.analyzer.without_counted(),
            threshold=INTENT_THRESHOLD,
            word_frequency=knowledge.word_frequency,
        )
        self._the_spaser = frozenset(knowledge.analyzer.terms(THE_SPASER))
        self._knowledge_asked = KnowledgeAsked(knowledge)
        self._listing = frozenset(self.intents.query_terms(_LISTING))
        self._wordings = Wordings(INTENTS)

    def understand(self, text: str) -> Understanding:
        """What `text` asks (see the module's docstring), read with its texted words spelled out;
        its answer keeps the question as typed (the lead sees it so among the unanswered)."""
        typed = _MENTION.sub("", text)
        understood = self._understand(spelled_out(typed))
        return replace(understood, answer=replace(understood.answer, question=typed))

    def _understand(self, text: str) -> Understanding:
        if assistant_itself_asked(fold(text)):  # « t'es une IA ? »: small talk, answered with help
            answer = Answer(question=text, entry=None, confidence=0.0)
            return Understanding(Understood.INTENT, answer, INTENTS_BY_ENTRY_ID["intent-help"], self.slots.read(text))
        answer = self._knowledge_asked(text)
        if answer.problem is not None and answer.problem != NO_WORDS:
            return Understanding(Understood.UNKNOWN, answer)
        reading = self.slots.read(text)
        if answer.problem is not None:  # only function words: read by their wording alone
            alike = self._worded_alike(text, [], reading)
            return Understanding(Understood.INTENT, answer, alike[1], reading) if alike else Understanding(Understood.UNKNOWN, answer)
        folded = fold(text)
        task = assistant_task_asked(folded, text)
        if task is not None and not reading.named_by_code:  # « comment ajouter un indicateur ? »: the help that says how
            return Understanding(Understood.INTENT, answer, replace(HELP_INTENT, command=lambda slots: f"aide {task}"), reading)
        if meetings_listed(folded) and not reading.named_by_code:
            return Understanding(Understood.INTENT, answer, UPCOMING_MEETINGS_INTENT, reading)
        if reading.asks_when and reading.slots.committee and not reading.names_indicator:
            return Understanding(Understood.INTENT, answer, NEXT_MEETING_INTENT, reading)
        if NEXT_MEETING_NAMED.search(folded) and not reading.names_indicator and not IN_GENERAL.search(folded):
            return Understanding(Understood.INTENT, answer, NEXT_MEETING_INTENT, reading)
        if _WHO_IS_LATE.search(folded.strip()) and not reading.names_indicator and not HISTORY_ASKED.search(folded):
            return Understanding(Understood.INTENT, answer, INTENTS_BY_ENTRY_ID["intent-directorates-not-up-to-date"], reading)
        late_directorates = which_directorates_asked(folded) and (_GOING_BADLY.search(folded) or NOT_REACHED.search(folded))
        if late_directorates and not reading.names_indicator and not reading.slots.directorate and not NOT_A_STATE.search(folded):
            return Understanding(Understood.INTENT, answer, INTENTS_BY_ENTRY_ID["intent-directorates-not-up-to-date"], reading)
        in_general = IN_GENERAL.search(folded) and not what_i_must_enter(folded)
        if my_due_asked(folded) and not (reading.slots.directorate or reading.names_indicator or in_general):
            return Understanding(Understood.INTENT, answer, INTENTS_BY_ENTRY_ID["intent-my-due"], reading)
        if own_standing_asked(folded) and not (reading.slots.directorate or reading.names_indicator):
            return Understanding(Understood.INTENT, answer, INTENTS_BY_ENTRY_ID["intent-whoami"], reading)
        if reading.asks_status and not reading.slots.committee:
            one_indicator = reading.names_indicator or ONE_INDICATOR.search(folded)
            intent = BARE_INDICATOR_INTENT if one_indicator else SUMMARY_INTENT
            return Understanding(Understood.INTENT, answer, intent, reading)
        if history_over_years_asked(folded) and not reading.names_indicator:  # « historique 2019-2023 »: of which indicator?
            return Understanding(Understood.INTENT, answer, INTENTS_BY_ENTRY_ID["intent-indicator-history"], reading)
        if state_of_the_spaser_asked(folded) and not reading.names_indicator:
            return Understanding(Understood.INTENT, answer, SUMMARY_INTENT, reading)
        if _HOW_OFTEN.search(folded) and not reading.named_by_code:
            return self._not_data(answer)  # « les comités, on les fait tous les combien ? »: no amount asked
        rest = self._rest(text, reading)
        if reading.names_indicator:
            rest = [token for token in rest if token not in _NAME_WORDS]
        intent = self._intent(rest, reading, text) or self._worded_alike(text, rest, reading)
        asked = asked_of_an_indicator(folded, rest) if reading.names_indicator else None
        if reading.names_indicator and HOW_TO.search(folded) and answer.entry is not None:
            if not (reading.named_by_code or ONE_INDICATOR.search(folded)):
                return self._not_data(answer)  # « comment mesurer l'empreinte carbone de nos achats » : advice on a method
        if asked is not None:
            intent = (1.0, asked)
        if reading.names_indicator and not reading.named_by_code and asked is None and self._sure_notion(answer, folded):
            return self._not_data(answer)  # « marché réservé, c'est quoi ? »: the notion, not our figure
        of_its_method = intent is not None and intent[1] is DEFINITION_INTENT
        if reading.names_indicator and not reading.named_by_code and of_its_method and self._sure_method(answer, folded):
            return self._not_data(answer)  # « comment on calcule le CO2 de nos achats ? »: the method the base explains
        if reading.names_indicator and not reading.named_by_code and asked is None and norm_asked(folded):
            if not _OUR_OWN.search(folded):  # « combien d'heures d'insertion exiger par million ? »: a norm, not our figure
                return self._not_data(answer)
        if intent is None and answer.entry is None:
            intent = self._intent_of_a_clause(text, reading)
        elif intent is None and answer.confidence < WEAK_KNOWLEDGE:
            clause_intent = self._intent_of_a_clause(text, reading, SHORT_DILUTED_LENGTH)
            if clause_intent is not None and clause_intent[0] >= SURE_CLAUSE:
                intent = clause_intent
        side = None if reading.names_indicator else side_asked(folded, bool(reading.slots.directorate))
        if side is not None:
            return Understanding(Understood.INTENT, answer, side, reading)
        if self._list_of_a_part(text, folded, reading) or _which_indicators(folded, reading):
            return Understanding(Understood.INTENT, answer, INTENTS_BY_ENTRY_ID["intent-catalogue"], reading)
        if intent is not None and intent[1].id in _ONE_SIDE and _GOING_WELL.search(folded) and _GOING_BADLY.search(folded):
            intent = (intent[0], SUMMARY_INTENT)
        if intent is not None and intent[1].id in PERSON_INTENTS and no_one_asked(folded):
            intent = None  # « le référent, il fait quoi ? », « on suit quoi comme indicateur ? »: no one asked
        who = holder_asked(folded, bool(reading.slots.committee))
        if reporter_asked(folded, bool(reading.slots.directorate), bool(reading.slots.committee)):
            return Understanding(Understood.INTENT, answer, INTENTS_BY_ENTRY_ID["intent-directorate-referent"], reading)
        if who and intent is not None and intent[1].id == "directorate_referent" and not reading.slots.directorate:
            if lead_meant(folded):
                intent = (intent[0], INTENTS_BY_ENTRY_ID["intent-who-is-lead"])  # « le référent SPASER »: its lead
        if who and intent is not None and intent[1].id in PERSON_INTENTS:
            return Understanding(Understood.INTENT, answer, intent[1], reading)
        if intent is not None and intent[1].id == "whoami" and their_role_asked(folded):
            intent = None
        if intent is not None and intent[1] in (NEXT_MEETING_INTENT, UPCOMING_MEETINGS_INTENT) and not SOON.search(folded):
            intent = None  # « le COPIL, qui doit y siéger ? », « il réunit qui ? »: no date asked
        if intent is not None and _one_stray_word(rest, folded, reading, intent[1], answer):
            intent = None
        if intent is not None and intent[1].id == "catalogue" and how_to_track_asked(folded):
            intent = None  # « comment suivre ça dans le SPASER ? »: advice on tracking, not our list
        if intent is not None and self._neighbour_not_an_indicator(answer, folded, reading, intent[1]):
            intent = None  # « comment on fait un avenant ? »: a neighbouring subject, no indicator's definition
        if intent is not None and intent[1].id == "next_meeting" and advice_asked(folded):
            intent = None  # « quand faut-il réunir le COPIL ? »: advice on the rhythm, not our next date
        if intent is not None and intent[1] is UPCOMING_MEETINGS_INTENT and no_list_asked(folded):
            intent = None  # « qui participe aux prochains comités ? »: committees in general
        if intent is not None and _of_indicators_in_general(folded, reading, intent[1], answer):
            intent = None  # « l'historique des indicateurs sur cinq ans, c'est faisable ? »: no one indicator
        if intent is not None:
            confidence, chosen = intent
            known = answer.confidence if answer.entry is not None else 0.0
            of_a_committee = reading.slots.committee and chosen.id in _ABOUT_A_COMMITTEE
            margin = 0.0 if reading.names_indicator or reading.slots.directorate or of_a_committee else KNOWLEDGE_MARGIN
            if _OUR_OWN.search(folded):
                margin -= OWN_DATA_BONUS
            if reading.named_by_code or confidence >= known + margin:
                if reading.names_indicator and chosen.id in _ORGANISATION_WIDE:
                    chosen = BARE_INDICATOR_INTENT
                if chosen.id == "directorates_not_up_to_date" and reading.slots.directorate:
                    chosen = INTENTS_BY_ENTRY_ID["intent-late-indicators"]  # one directorate named: what it has not entered
                return Understanding(Understood.INTENT, answer, chosen, reading)
        off_topic = answer.entry is not None and answer.entry.kind is EntryKind.OUT_OF_SCOPE
        if reading.slots.indicator and off_topic and (figure_asked(folded) or _OUR_OWN.search(folded)) and not rule_asked(folded):
            # « le délai de paiement c'est combien de jours »: our indicator's figure; its rule stays out of scope
            return Understanding(Understood.INTENT, answer, BARE_INDICATOR_INTENT, reading)
        if (
            reading.names_indicator
            and HOW_MUCH.search(folded)
            and (answer.entry is None or (_OUR_OWN.search(folded) and not _ADVICE_ON_INDICATORS.search(folded)))
        ):
            # « combien de repas végés on sert ? », « l'ESS, on en est à combien ? »: one of our indicators' figure;
            # not « suivre le taux de véhicules propres, c'est une bonne approche ? » (advice).
            return Understanding(Understood.INTENT, answer, BARE_INDICATOR_INTENT, reading)
        return self._not_data(answer)

    @staticmethod
    def _sure_notion(answer: Answer, folded: str) -> bool:
        """What a notion is, asked of its name and surely answered by a SPASER entry (`concept_asked`)."""
        known = answer.entry is not None and answer.entry.kind is not EntryKind.OUT_OF_SCOPE
        return known and answer.confidence >= SURE_KNOWLEDGE and concept_asked(folded) and not _OUR_OWN.search(folded)

    def _neighbour_not_an_indicator(self, answer: Answer, folded: str, reading: Reading, intent: Intent) -> bool:
        """Whether a neighbouring subject surely answers a question that names no indicator while
        `intent` asks something of one (its phrasing « les avenants comptent dans cet indicateur ? »
        shares the neighbour's word)."""
        off_topic = answer.entry is not None and answer.entry.kind is EntryKind.OUT_OF_SCOPE
        if not off_topic or answer.confidence < self.knowledge.threshold or intent.id not in _OF_ONE_INDICATOR:
            return False
        return not (reading.names_indicator or _AN_INDICATOR_WORD.search(folded))

    @staticmethod
    def _sure_method(answer: Answer, folded: str) -> bool:
        """How a subject is computed, not asked of our indicator, and surely answered by a SPASER entry."""
        known = answer.entry is not None and answer.entry.kind is not EntryKind.OUT_OF_SCOPE
        return known and answer.confidence >= SURE_KNOWLEDGE and not our_indicator_meant(folded)

    @staticmethod
    def _not_data(answer: Answer) -> Understanding:
        if answer.entry is None:
            return Understanding(Understood.UNKNOWN, answer)
        if answer.entry.kind is EntryKind.OUT_OF_SCOPE:
            return Understanding(Understood.OUT_OF_SCOPE, answer)
        return Understanding(Understood.KNOWLEDGE, answer)

    def _intent_of_a_clause(self, text: str, reading: Reading, least: int = DILUTED_LENGTH) -> tuple[float, Intent] | None:
        """« Avant le COPIL de jeudi, j'aimerais savoir quels indicateurs sont en retard, pour… »:
        the request is one clause, its context dilutes it; the named objects come from the whole."""
        parts = [clause for clause in clauses(text) if not _CHOOSES_AMONG_CONTEXT.search(fold(clause))]
        if len(parts) < 2 or len(tokenize(text)) < least:
            return None
        # A clause naming objects only (« …de véhicules et de matériel informatique ») is part of a
        # list, not a request: the bare name of an indicator asks its value only as a whole message.
        rests = [(clause, self._rest(clause, reading)) for clause in parts]
        found = [self._intent(rest, reading, clause) for clause, rest in rests if rest]
        return max((intent for intent in found if intent is not None), key=lambda intent: intent[0], default=None)

    def _list_of_a_part(self, text: str, folded: str, reading: Reading) -> bool:
        """« les indicateurs environnement », « quels indicateurs concernent la DRH ? »: the indicators
        of an axis or a directorate listed, not advice on which to choose."""
        slots = reading.slots
        if reading.names_indicator or not (slots.axis or slots.directorate) or not _INDICATORS_PLURAL.search(folded):
            return False
        if _ADVICE_ON_INDICATORS.search(folded):
            return False
        return set(self.intents.query_terms(" ".join(self._rest(text, reading)))) <= self._listing

    def _rest(self, text: str, reading: Reading) -> list[str]:
        """The words of `text` left to match the intents: not those naming its objects, nor the
        SPASER when two words at least are left (« quels axes pour notre schéma ? » is about
        the SPASER's design), nor the verb of a request (« donne-moi… ») nor the framing (« par rapport aux… »)."""
        terms = self.knowledge.analyzer.terms_from_tokens
        rest = [token for token in tokenize(_REQUEST_VERB.sub(" ", text), drop_framing=True) if token not in reading.explained]
        without = [token for token in rest if not set(terms([token])) <= self._the_spaser]
        return without if len(without) >= 2 else rest

    def _worded_alike(self, text: str, rest: list[str], reading: Reading) -> tuple[float, Intent] | None:
        """The intent one of whose phrasings is worded nearly as the question, when the question
        has no content word left to match (« je suis qui pour toi ? », « c'est quoi ça ? »)."""
        if rest or reading.names_indicator:
            return None
        return self._wordings.alike(text)

    def _intent(self, rest: list[str], reading: Reading, text: str = "") -> tuple[float, Intent] | None:
        """The intent whose phrasings best cover the words left once the named objects are out, of
        those the wording of `text` (the question or its clause) allows (`fits`). The words that
        name an indicator by its subject are left out only for the intents about an indicator:
        « quelle formation pour les achats durables ? » is not « durables » alone, for the intents
        about people."""
        if not rest:
            return (1.0, BARE_INDICATOR_INTENT) if reading.names_indicator else None
        ranked = self._ranked_intents(rest)
        if not ranked:
            return None
        subject = sorted(reading.indicator_words.intersection(tokenize(text)))
        if subject:
            whole = dict(self._ranked_intents([*rest, *subject], limit=len(INTENTS)))
            acting = about_to_enter(fold(text))  # « je dois saisir les heures d'insertion »: entering that one
            ranked = [
                (intent, confidence if intent.id in _ABOUT_AN_INDICATOR or (acting and intent.id == "update_indicators")
                 else min(confidence, whole.get(intent, 0.0)))
                for intent, confidence in ranked
            ]
        folded = fold(text)
        fitting = [(confidence, intent) for intent, confidence in ranked if fits(intent, folded, bool(reading.slots.committee))]
        if not fitting:
            return None
        confidence, intent = max(fitting, key=lambda found: found[0]) if subject else fitting[0]
        entering = [(found, chosen) for found, chosen in fitting if chosen.id == "update_indicators" and found >= confidence]
        if entering and about_to_enter(folded):  # « saisir la valeur de l'IND-13 »: entering it, not who entered it
            confidence, intent = entering[0]
        return (confidence, intent) if confidence >= INTENT_THRESHOLD else None

    def _ranked_intents(self, words: list[str], limit: int = 5) -> list[tuple[Intent, float]]:
        """The intents sharing words with `words`, best first, with how surely each is asked; not
        those sharing only the SPASER's name (« le prix du SPASER ? » asks for no one, nor any
        list: every data question is about the SPASER)."""
        query = self.intents.query_terms(" ".join(words))
        ranked = self.intents.fused(self.intents.rank(query, limit=limit), words) if query else []
        return [
            (INTENTS_BY_ENTRY_ID[found.entry.id], max(found.coverage, found.similarity / INTENT_SIMILARITY * INTENT_THRESHOLD))
            for found in ranked
            if not found.matched_terms <= self._the_spaser
        ]


_ABOUT_AN_INDICATOR = frozenset({"indicator_value", "indicator_definition", "indicator_history"}) | _ORGANISATION_WIDE
"""Intents a named indicator is for (the organisation-wide ones then ask about that one)."""


def _one_stray_word(rest: list[str], folded: str, reading: Reading, intent: Intent, answer: Answer) -> bool:
    """Whether `intent` rests on the one word left of a surely answered question (`SURE_KNOWLEDGE`)
    and asks nothing of the indicator named: how it is counted, its history, its figure."""
    if len(rest) != 1 or answer.entry is None or answer.confidence < SURE_KNOWLEDGE:
        return False
    if reading.slots.committee and intent.id in _ABOUT_A_COMMITTEE:
        return False  # « le rapport pour le COPIL »: the committee named is what the intent is about
    if not reading.names_indicator:
        return True
    return intent.id not in _OF_ONE_INDICATOR or (intent.id == "indicator_value" and not HOW_MUCH.search(folded))


def _of_indicators_in_general(folded: str, reading: Reading, intent: Intent, answer: Answer) -> bool:
    """Whether `intent` asks something of one indicator (its history, its definition) of a question
    naming none and speaking of indicators in the plural, which a SPASER entry answers: « la mise à
    jour des indicateurs, c'est tous les ans ? » is about indicators in general, not one to name."""
    if intent.id not in _OF_ONE_INDICATOR or reading.names_indicator or ONE_INDICATOR.search(folded):
        return False
    known = answer.entry is not None and answer.entry.kind is not EntryKind.OUT_OF_SCOPE
    return known and bool(_INDICATORS_PLURAL.search(folded))


def _which_indicators(folded: str, reading: Reading) -> bool:
    """Which indicators the organisation has, asked plainly (see `_WHICH_ONES`)."""
    if reading.names_indicator or not (_INDICATORS_PLURAL.search(folded) and _WHICH_ONES.search(folded)):
        return False
    return not (_ADVICE_ON_INDICATORS.search(folded) or _ANY_SPASER.search(folded))
