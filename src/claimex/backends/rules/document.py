"""One abstract prepared for the rules: normalised text, sentences and number mentions."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property

from claimex.backends.rules.cues import CONTRIBUTION
from claimex.backends.rules.mentions import Mention, detect_mentions
from claimex.backends.rules.segments import Sentence, split_sentences, url_spans
from claimex.numbers import normalise_keeping_offsets


@dataclass
class Document:
    """The abstract as written, its offset-keeping normalised form, sentences and mentions."""

    original: str
    title: str | None
    text: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    urls: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def parse(cls, abstract: str, title: str | None = None) -> Document:
        text = normalise_keeping_offsets(abstract)
        if "—" in abstract:  # an em dash separates clauses; as "-" it would glue numbers to names
            text = "".join(";" if a == "—" else t for a, t in zip(abstract, text, strict=True))
        sentences = split_sentences(text)
        return cls(abstract, title, text, sentences, detect_mentions(text), url_spans(text))

    @cached_property
    def contribution_sentence(self) -> int:
        """Index of the sentence that says what the paper does ("We propose ..."), else 0.

        Computed on first use: only shares of a population ("over 70% of requests") need it.
        """
        return next(
            (s.index for s in self.sentences if CONTRIBUTION.search(self.text, s.start, s.end)), 0
        )

    @cached_property
    def _mentions_by_sentence(self) -> list[list[Mention]]:
        starts = [m.start for m in self.mentions]
        return [
            self.mentions[bisect_left(starts, s.start) : bisect_left(starts, s.end)]
            for s in self.sentences
        ]

    def mentions_in(self, sentence: Sentence) -> list[Mention]:
        """The mentions that start inside the sentence, in order."""
        return self._mentions_by_sentence[sentence.index]

    def in_url(self, mention: Mention) -> bool:
        return any(start <= mention.start < end for start, end in self.urls)
