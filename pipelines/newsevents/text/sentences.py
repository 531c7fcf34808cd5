"""Sentence splitting with character offsets into the article text.

sentencex (compiled core, ~79 MB/s, 43/48 on the pySBD Golden Rules; see NOTES.md) keeps
quoted speech together and treats newlines as paragraph breaks. pysbd scores one case more
but is 400 times slower, which the throughput target cannot afford.
"""
from __future__ import annotations

import sentencex

# A "sentence" longer than this (no punctuation for pages) is cut at whitespace so one
# pathological record cannot stall a worker or produce a megabyte row.
MAX_SENTENCE_CHARS = 2000


def split_sentences(text: str, language: str = "en",
                    max_chars: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Return (start, end) offsets of each sentence, trimmed of surrounding white space.

    `language` (ISO 639-1) picks sentencex's abbreviations ("Sr.", "Gral.", "EE. UU." in
    Spanish); a language it does not know falls back to its defaults."""
    spans = []
    for b in sentencex.get_sentence_boundaries(language, text):
        start, end = b["start_index"], b["end_index"]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        while end - start > max_chars:
            cut = text.rfind(" ", start + 1, start + max_chars)
            cut = cut if cut > start else start + max_chars
            spans.append((start, cut))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if end > start:
            spans.append((start, end))
    return spans
