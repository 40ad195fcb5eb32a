"""One abstract prepared for the rules: normalised text, sentences and number mentions."""

from __future__ import annotations

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

    def sentence_of(self, position: int) -> Sentence:
        for sentence in self.sentences:
            if sentence.start <= position < sentence.end:
                return sentence
        return self.sentences[-1]

    def in_url(self, mention: Mention) -> bool:
        return any(start <= mention.start < end for start, end in self.urls)
