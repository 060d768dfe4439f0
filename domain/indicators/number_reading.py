"""The French number model that reads indicator values, and the currency names for error messages.

Recognizers-Text's `FrenchNumberExtractor(NumberMode.PURE_NUMBER)` holds, among ~30 expressions,
two that read fractions spelled with an ordinal (`FractionNounRegex`, « trois cinquièmes »;
`FractionNounWithArticleRegex`, « un centième »). Each inlines every spelled ordinal up to the
billions: 125,000–132,000 characters, ~7 MB each once compiled by `regex` (14 MB, half of what all
the French recognizers compile, measured with tracemalloc). A value is never typed that way, and
`values.parse_value` refuses fractions in words (« trois quarts », « un tiers ») with a request
for digits: `ValueExtractor` is that extractor without those two expressions, every other in the
same order (digits, spelled integers, « 3/4 », « 3 sur 4 »).

The currency model (`NumberWithUnitRecognizer(Culture.French).get_currency_model()`) only named
the currency of a refused value (« 12 $ » → Dollar), and compiled the same two expressions again
in its own number extractors: `currency_named` looks the words up in the same lists of currency
names and symbols instead.
"""

from __future__ import annotations

from functools import cache

from recognizers_number.number.constants import Constants
from recognizers_number.number.extractors import BaseNumberExtractor, ReRe, ReVal
from recognizers_number.number.french.extractors import FrenchCardinalExtractor
from recognizers_number.number.french.parsers import FrenchNumberParserConfiguration
from recognizers_number.number.models import NumberModel
from recognizers_number.number.parser_factory import AgnosticNumberParserFactory, ParserType
from recognizers_number.resources.french_numeric import FrenchNumeric
from recognizers_number_with_unit.resources.french_numeric_with_unit import FrenchNumericWithUnit
from recognizers_text.utilities import RegExpUtility

_FRACTIONS = (
    (FrenchNumeric.FractionNotationWithSpacesRegex, "FracNum"),
    (FrenchNumeric.FractionNotationRegex, "FracNum"),
    (FrenchNumeric.FractionPrepositionRegex, "FracFr"),
)


class ValueExtractor(BaseNumberExtractor):
    """`FrenchNumberExtractor(NumberMode.PURE_NUMBER)` less the fractions spelled with an ordinal."""

    def __init__(self) -> None:
        compile_ = RegExpUtility.get_safe_reg_exp
        cardinal = FrenchCardinalExtractor(FrenchNumeric.PlaceHolderPureNumber)
        self._regexes = [*cardinal.regexes, *(ReVal(re=compile_(source), val=val) for source, val in _FRACTIONS)]
        self._filters = [ReRe(reKey=compile_(key), reVal=compile_(value))
                         for key, value in FrenchNumeric.AmbiguityFiltersDict.items()]
        self._negative = compile_(FrenchNumeric.NegativeNumberTermsRegex)

    @property
    def regexes(self) -> list[ReVal]:
        return self._regexes

    @property
    def ambiguity_filters_dict(self) -> list[ReRe]:
        return self._filters

    @property
    def _extract_type(self) -> str:
        return Constants.SYS_NUM

    @property
    def _negative_number_terms(self):
        return self._negative


def number_model() -> NumberModel:
    """Built as `NumberRecognizer(Culture.French).get_number_model()` registers it, with `ValueExtractor`."""
    parser = AgnosticNumberParserFactory.get_parser(ParserType.NUMBER, FrenchNumberParserConfiguration())
    return NumberModel(parser, ValueExtractor())


@cache
def _currency_names() -> dict[str, str]:
    """Each spelling of a currency (« dollars », « $ », « £ », « usd ») → its name in the
    recognizer's lists (Dollar, Livre…); the suffix list first, as the recognizer reads it."""
    names: dict[str, str] = {}
    for table in (FrenchNumericWithUnit.CurrencySuffixList, FrenchNumericWithUnit.CurrencyPrefixList):
        for name, spellings in table.items():
            for spelling in spellings.lower().split("|"):
                names.setdefault(spelling.strip(), name)
    return names


def currency_named(words: str) -> str | None:
    """The currency named by the longest run of `words` (what surrounds a number) that spells one."""
    names = _currency_names()
    split = words.lower().replace("’", "'").split()
    for length in range(len(split), 0, -1):
        for start in range(len(split) - length + 1):
            run = " ".join(split[start:start + length])
            for candidate in (run, run.removeprefix("d'")):
                if candidate in names:
                    return names[candidate]
    return None
