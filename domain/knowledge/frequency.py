"""How common a French word is (Zipf scale from `wordfreq`: 0 for a word seen less than once per
billion words, about 6 for « monde »).

The knowledge base uses it for words it has never seen: an everyday word (« monde », « petit »)
weighs little in a question, a rare one (« DUME ») weighs fully; and a real word (« mots »,
« régie ») is never « corrected » into a known one (« mois », « règle »).
"""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=65_536)
def french_zipf(token: str) -> float:
    # Imported on first use: wordfreq and its language tags cost ~0.5 s of start-up.
    from wordfreq import zipf_frequency

    return zipf_frequency(token, "fr")
