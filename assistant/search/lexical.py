"""Danish-aware tokenisation for the lexical index: lowercase, stopwords, Snowball stems."""

from __future__ import annotations

import re

import snowballstemmer

from assistant.text import dehyphenate

_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+", re.UNICODE)

# Function words that only add noise to BM25 (Danish first, then the English
# ones that English questions bring).
STOPWORDS = frozenset("""
    af alle alt anden andre at blev blive bliver da de dem den denne der deres det dette dig din
    dine disse dit dog du efter eller en end er et for fra ham han hans har havde have hende hendes
    her hos hun hvad hvem hver hvilke hvilken hvis hvor hvordan hvorfor hvornår i ikke ind jeg jer
    jo kan kunne man mange med meget men mig min mine mit mod når ned noget nogle nu og også om op
    os over på sa se selv sig sin sine sit skal skulle som sådan thi til ud under var vi vil ville
    vor vore være været bl fx mv pct kr ca a an and are as at be been by can do does for from had
    has have how i if in into is it its of on or so than that the their them then there these they
    this to was were what when where which who why will with would
""".split())


class DanishAnalyzer:
    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("danish")
        self._cache: dict[str, str] = {}

    def _stem(self, word: str) -> str:
        stem = self._cache.get(word)
        if stem is None:
            stem = self._cache[word] = self._stemmer.stemWord(word)
        return stem

    def words(self, text: str) -> list[str]:
        """The words that count, unstemmed and each once (for an engine that stems them itself)."""
        words = _WORD.findall(dehyphenate(text).lower())
        return list(dict.fromkeys(w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())))

    def terms(self, text: str) -> list[str]:
        words = _WORD.findall(dehyphenate(text).lower())
        return [self._stem(w) for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
