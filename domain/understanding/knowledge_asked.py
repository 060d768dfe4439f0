"""Which knowledge entry a whole question asks for, once its context is weighed: the last clause or
sentence of a long question, its request without its purpose, « ce truc » read as the subject named
before, the axis it names kept, an everyday neighbouring subject dropped.

Kept apart from the Understander, which then weighs this answer against the intents: here the
question is read as a knowledge question only.
"""

from __future__ import annotations

import re
from dataclasses import replace

from domain.knowledge.entries import EntryKind
from domain.knowledge.normalize import tokenize
from domain.knowledge.retrieval import Answer, KnowledgeBase
from domain.text import fold
from domain.understanding.axes import AxisKept
from domain.understanding.clauses import SENTENCES, last_clause, without_purpose
from domain.understanding.indicator_asks import BARE_WHAT_IS, CONSISTS_OF

LAST_CLAUSE_CONFIDENCE = 0.6
"""How sure the last clause of a long question must be, alone, to answer the whole of it."""
SURE_BEFORE_CONTEXT = 0.9
"""How sure a question followed by its context (« …? j'en ai besoin pour ma note ») must be, alone, to
answer the whole: « des bonnes nouvelles sur le SPASER ? » is no sure knowledge question."""
BARELY_OFF_TOPIC = 0.6
"""An off-topic match this weak gives way to a sure SPASER answer to the question's last clause."""
_REFERS_BACK = re.compile(
    r"\b(?:ca|cela|ceci|la[- ]dessus)\b"
    r"|\b(?:on|je|nous|vous|il|elle|ils|elles|peu[tx]|pouvons|pouvez|doi[st]|devons|devez|faut|comment) (?:les|le|la|l|en|y) [a-z]"
)
"""A last sentence whose pronoun stands for the context before it (« ça a sa place dans le
SPASER ? », « on peut les suivre dans le schéma ? », « comment le suivre ? ») asks about that
context, unless the sentence names its own subject first (« le COPIL, qui doit y siéger ? »)."""
_ASKS = re.compile(r"\b(?:quoi|koi|qui|quel\w*|comment|combien|pourquoi|quand|est[- ]ce|dois[- ]je|faut[- ]il|peut[- ]on|ou)\b")
"""A question word, or alternatives (« …dans le projet ? dès le début ou à la fin »): what follows a
question mark with one is part of the question, or a question of its own."""
_DESCRIBED = re.compile(
    r"\bc(?:[' ]?est)? (?:quoi|koi) (?P<named>[^?,.;:!]+?) (?:dont|qu[' ]?on|que|qui)\b"
    r"|\bexpliqu(?:er|e|ez)(?:[- ]moi|[- ]nous)? (?P<explained>(?:le |la |les |l'|un |une |ce |cette |ces )?[^?,.;:!]+?)"
    r"(?= en | pour | svp| stp| simplement|$|[?,.;:!])"
)
_FEW_WORDS = 3
"""« c quoi ces DECP dont tout le monde parle en COPIL ? »: what is asked is the subject named right
after « c'est quoi », described by a relative clause that may name other subjects; « …, tu peux
m'expliquer le SPASER en mode simple ? »: the subject named right after « expliquer »."""
_THE_SPASER = "SPASER schéma"
_IN_THE_SPASER = re.compile(
    r"\b(?:dans|pour|sur|en|au sein d[eu]) (?:le |la |l |l'|un |une |notre |nos |votre |ce |cette )?(?:spaser|schema)\b"
)
"""« possible dans le schéma ? », « ça a sa place dans notre SPASER ? »: a last sentence naming the
SPASER only as where its context would go, with no question word (« qu'est-ce qu'on doit mettre dans le
schéma ? » asks what it holds), asks about that context."""
_SPEAKERS = "DGS"
"""« c koi un spaser ? mon DGS m'en a parlé, jsp ce que c'est »: who mentions a subject is not the
subject asked, when another is named."""


class KnowledgeAsked:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self._axis_kept = AxisKept(knowledge)
        self._speakers = frozenset(knowledge.analyzer.terms(_SPEAKERS))
        self._the_spaser = frozenset(knowledge.analyzer.terms(_THE_SPASER))

    def __call__(self, text: str) -> Answer:
        """The knowledge answer to `text` as a whole (see the module's docstring)."""
        answer = self._axis_kept(self._what_it_is(text) or self._last_clause_if_unsure(self.knowledge.answer(text)))
        return self._asked_before_its_context(self._without_everyday_neighbour(text, answer))

    def _asked_before_its_context(self, answer: Answer) -> Answer:
        """« c'est quel article qui impose le SPASER ? j'en ai besoin pour une note au bureau »: the
        question comes first and what follows its last question mark only says why or who asks (no
        question word of its own). The question alone answers the whole when it is surely about a
        SPASER entry (`SURE_BEFORE_CONTEXT`) and more surely than the whole."""
        text = answer.question
        cut = text.rfind("?")
        if cut < 0 or len(tokenize(text[cut + 1 :])) < 2 or _ASKS.search(fold(text[cut + 1 :])):
            return answer
        asked = self.knowledge.answer(text[: cut + 1])
        if asked.entry is None or asked.entry.kind is EntryKind.OUT_OF_SCOPE or asked.entry == answer.entry:
            return answer
        if asked.confidence < SURE_BEFORE_CONTEXT:
            return answer
        if answer.entry is not None and answer.confidence >= asked.confidence:
            return answer
        return replace(asked, question=text)

    def _without_everyday_neighbour(self, text: str, answer: Answer) -> Answer:
        """« en deux mots, ça avance le SPASER ? »: a neighbouring subject named by one everyday word
        beside the SPASER (domain/knowledge/neighbours.py) is no answer; the question is answered
        without it. Checked last, so that small talk (« il m'a posé une colle : le SPASER… ») still
        gives way to its last clause first."""
        if answer.entry is None or answer.entry.kind is not EntryKind.OUT_OF_SCOPE:
            return answer
        plain = self.knowledge.answer(text, everyday_neighbours=False)
        return answer if plain.entry == answer.entry else self._last_clause_if_unsure(plain)

    def _what_it_is(self, text: str) -> Answer | None:
        """« tout le monde parle du SPASER en réunion, c'est quoi ce truc ? »: « ce truc » is the
        last subject the question names (or the one described, `_DESCRIBED`); what it is is asked of
        that subject alone."""
        folded, naming = fold(text), text
        described = _DESCRIBED.search(folded)
        subject = (described["named"] or described["explained"]) if described else None
        if subject and len(tokenize(subject)) <= _FEW_WORDS:
            naming = subject  # « c'est quoi ces DECP dont tout le monde parle ? »: the DECP
        elif not (BARE_WHAT_IS.search(folded) or CONSISTS_OF.search(folded)):
            return None
        query = self.knowledge.query_terms(naming)
        named = [term for term in query if term in self.knowledge.analyzer.subject_terms]
        named = [term for term in named if term not in self._speakers] or named
        if not named:
            return None
        answer = self.knowledge.answer(f"qu'est-ce que {named[-1].replace('_', ' ')}")
        return replace(answer, question=text) if answer.entry is not None and answer.entry.kind is not EntryKind.OUT_OF_SCOPE else None

    def _last_clause_if_unsure(self, answer: Answer) -> Answer:
        """« Je viens d'arriver au service, on me parle de X : c'est quoi X ? »: the context dilutes
        the question, or its small talk (« je sors d'une réunion… ») looks off-topic. Its last
        clause answers it when, alone, it is surely about the entry the whole question ranked
        first, or about a SPASER entry where the whole question was barely off-topic. An unknown
        question with a purpose clause (« …, pour que je puisse en parler en commission ») is
        answered as its request alone would be; an answered one, as its last sentence when that is
        surer (`_asked_last`)."""
        unsure = answer.entry is None and answer.ranked_first is not None
        barely_off = (
            answer.entry is not None
            and answer.entry.kind is EntryKind.OUT_OF_SCOPE
            and answer.confidence < BARELY_OFF_TOPIC
        )
        request = without_purpose(answer.question) if answer.entry is None and answer.problem is None else None
        if request is not None:
            main = self.knowledge.answer(request)
            if main.entry is not None:  # the purpose only dilutes the request: answered as asked alone
                return replace(main, question=answer.question)
        if answer.problem is not None:
            return answer
        if not (unsure or barely_off):
            return self._asked_last(answer)
        clause = last_clause(answer.question)
        if clause is None:
            return answer
        last = self.knowledge.answer(clause)
        if last.entry is None or last.confidence < LAST_CLAUSE_CONFIDENCE:
            return answer
        # A barely off-topic subject gives way to a SPASER answer only when its last clause names a domain
        # term: « intérêts moratoires : c'est quoi le taux actuel ? » is still about the neighbour.
        named = self.knowledge.query_terms(clause).keys() & self.knowledge.analyzer.domain_terms
        spaser_answer = bool(named) and last.entry.kind is not EntryKind.OUT_OF_SCOPE
        agrees = last.entry == answer.ranked_first if unsure else spaser_answer
        return replace(last, question=answer.question) if agrees else answer

    def _asked_last(self, answer: Answer) -> Answer:
        """« Je suis élue dans une commune de 60 000 habitants, on vient de lancer la démarche : à quoi
        sert un SPASER ? »: the context before the last sentence can outweigh the question itself.
        The last sentence answers the whole when it names a domain term of its own (« ça »,
        « là-dessus » refer back to the context) and is, alone, more surely answered than the whole."""
        if answer.entry is None or not answer.question.rstrip().endswith("?"):
            return answer
        parts = [part for part in SENTENCES.split(answer.question) if len(tokenize(part)) >= 2]
        if len(parts) < 2:
            return answer
        named = self.knowledge.query_terms(parts[-1]).keys() & self.knowledge.analyzer.domain_terms
        if not named:
            return answer
        if named <= self._the_spaser and _IN_THE_SPASER.search(fold(parts[-1])) and not _ASKS.search(fold(parts[-1])):
            return answer  # « …flotte, cantines, informatique. possible dans le schéma ? »: the context, in the SPASER
        pronoun = _REFERS_BACK.search(fold(parts[-1]))
        if pronoun and not self.knowledge.query_terms(fold(parts[-1])[: pronoun.start()]).keys() & self.knowledge.analyzer.domain_terms:
            return answer  # « Réemploi : ça a sa place dans notre SPASER ? »: about the context, not the SPASER
        last = self.knowledge.answer(parts[-1])
        if last.entry is None or last.entry.kind is EntryKind.OUT_OF_SCOPE:
            return answer
        surely = last.confidence >= self.knowledge.threshold and last.confidence > answer.confidence
        return replace(last, question=answer.question) if surely else answer
