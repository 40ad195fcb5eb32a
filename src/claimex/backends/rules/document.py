"""One abstract prepared for the rules: normalised text, sentences and number mentions."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    contribution_sentence: int = 0

    @classmethod
    def parse(cls, abstract: str, title: str | None = None) -> Document:
        text = normalise_keeping_offsets(abstract)
        if "—" in abstract:  # an em dash separates clauses; as "-" it would glue numbers to names
            text = "".join(";" if a == "—" else t for a, t in zip(abstract, text, strict=True))
        sentences = split_sentences(text)
        doc = cls(abstract, title, text, sentences, detect_mentions(text), url_spans(text))
        doc.contribution_sentence = next(
            (s.index for s in sentences if CONTRIBUTION.search(text, s.start, s.end)), 0
        )
        return doc

    def sentence_of(self, position: int) -> Sentence:
        for sentence in self.sentences:
            if sentence.start <= position < sentence.end:
                return sentence
        return self.sentences[-1]

    def in_url(self, mention: Mention) -> bool:
        return any(start <= mention.start < end for start, end in self.urls)
