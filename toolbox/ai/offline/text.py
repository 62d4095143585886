"""Reading a source text: sentences, key sentences, definitions, names, numbers, sequences.

Everything here is deterministic and works on the text alone, so that whatever the offline
generator marks correct can be pointed to in the text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from toolbox.ai.offline.words import ABBREVIATIONS, MONTHS, NON_TERM_STARTS, STOPWORDS

SEQUENCE_START = re.compile(r"^(?:first(?:ly)?|to begin(?: with)?|to start|at first|in the first step)\b[,]?\s*", re.I)
SEQUENCE_NEXT = re.compile(
    r"^(?:then|next|after(?:wards| that| this)|second(?:ly)?|third(?:ly)?|later|soon after|meanwhile)\b[,]?\s*",
    re.I,
)
SEQUENCE_END = re.compile(r"^(?:finally|lastly|in the end|at last)\b[,]?\s*", re.I)
NUMBERED_LINE = re.compile(r"^\s*(\d{1,2})[.)]\s+(.+?)\s*$")
HEADING_LINE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
LIST_ITEM_LINE = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+")
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w]|[.,]\d)")
YEAR_PHRASE = re.compile(r"^(?:in|by|during|on)\s+(?:\w+\s+)?(\d{4}),?\s*", re.I)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
NAME = re.compile(r"\b[A-Z][a-zA-Z'’-]+(?:\s+(?:[A-Z][a-zA-Z'’-]+|[IVX]{1,4}\b|of|de|the|von|van)(?=\s+[A-Z]|\b))*")

DEFINITION_PATTERNS = (
    re.compile(
        r"^(?P<term>[A-Za-z][\w'’ -]{0,48}?)\s+(?:is|are|was|were)\s+(?P<definition>(?:a|an|the|one of|any)\s.+)$",
        re.I,
    ),
    re.compile(
        r"^(?P<term>[A-Za-z][\w'’ -]{0,48}?)\s+(?:means|refers to|is defined as|are defined as|describes)\s+"
        r"(?P<definition>.+)$",
        re.I,
    ),
)
CALLED_PATTERN = re.compile(
    r"^(?P<definition>.+?),?\s+(?:is|are|was|were)\s+(?:called|known as|named)\s+(?P<term>[A-Za-z][\w'’ -]{0,48})$",
    re.I,
)
VAGUE_SUBJECT = re.compile(r"^(?:this|that|these|those|it|they)\b", re.I)


def markdown_to_plain(markdown: str) -> str:
    """Markdown's text without its markup: headings, emphasis, links, images and code marks."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}#{1,6}\s*(.*)$", r"\1.", text, flags=re.M)
    text = re.sub(r"^\s{0,3}>\s?", "", text, flags=re.M)
    text = re.sub(r"^\s*[-*+]\s+", "", text, flags=re.M)
    text = re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", text)
    return re.sub(r"<[^>]+>", " ", text)


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, not split after abbreviations, initials or decimals."""
    sentences: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?][\"”’)\]]*(?=\s|$)", text):
        end = match.end()
        preceding = re.search(r"(\S+)$", text[start : match.start()])
        word = preceding.group(1).lower().rstrip(".") if preceding else ""
        following = text[end:].lstrip()
        if text[match.start()] == "." and (word in ABBREVIATIONS or re.fullmatch(r"[a-z]", word)):
            continue
        if following and not (following[0].isupper() or following[0].isdigit() or following[0] in '"“‘(['):
            continue
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail if tail[-1] in ".!?" else tail + ".")
    return sentences


def content_words(sentence: str) -> list[str]:
    return [w.lower().strip("'’-") for w in WORD.findall(sentence) if w.lower() not in STOPWORDS and len(w) > 2]


def strip_end(sentence: str) -> str:
    return sentence.rstrip().rstrip(".!?").rstrip()


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _words_of(text: str) -> list[str]:
    return [word.casefold() for word in WORD.findall(text)]


def without_title_heading(text: str, title: str) -> str:
    """The text without a first heading that only repeats the title: the lesson has its own."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        heading = HEADING_LINE.match(line)
        if heading and _words_of(heading.group(2)) == _words_of(title):
            return "\n".join(lines[index + 1 :]).lstrip("\n")
        return text
    return text


def markdown_blocks(text: str, *, top_heading_level: int) -> list[str]:
    """The text's headings, paragraphs and lists as Markdown blocks: a paragraph's wrapped lines
    joined, each list item on its own line, and the headings moved down so that the largest
    sits at `top_heading_level` (a source's own headings nest inside the section holding it)."""
    levels = [len(m.group(1)) for m in map(HEADING_LINE.match, text.splitlines()) if m]
    shift = top_heading_level - min(levels) if levels else 0
    blocks: list[list[str]] = []
    in_list = False
    open_block = False
    for raw in text.splitlines():
        line = re.sub(r"\s+", " ", raw).strip()
        heading = HEADING_LINE.match(raw)
        if not line:
            open_block = False
        elif heading:
            blocks.append([f"{'#' * min(6, len(heading.group(1)) + shift)} {heading.group(2).strip()}"])
            open_block = False
        elif LIST_ITEM_LINE.match(raw):
            if open_block and in_list:
                blocks[-1].append(line)
            else:
                blocks.append([line])
            open_block = in_list = True
        elif open_block:
            blocks[-1][-1] += f" {line}"
        else:
            blocks.append([line])
            open_block, in_list = True, False
    return ["\n".join(block) for block in blocks]


def _clean_term(term: str) -> str:
    term = re.sub(r"^(?:a|an|the)\s+", "", term.strip(), flags=re.I)
    return term.strip(" ,;:-")


def replace_whole(text: str, old: str, new: str) -> str:
    """Replace every whole-word occurrence of `old`, ignoring case."""
    return re.sub(r"(?<![\w-])" + re.escape(old) + r"(?![\w-])", new, text, flags=re.I)


def contains_whole(text: str, part: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(part) + r"(?![\w-])", text, flags=re.I) is not None


@dataclass(frozen=True)
class Definition:
    term: str
    definition: str
    sentence: str
    is_name: bool


@dataclass(frozen=True)
class NumberFact:
    sentence: str
    raw: str
    value: float
    in_definition: bool

    @property
    def is_year(self) -> bool:
        return self.value.is_integer() and 1000 <= self.value <= 2100 and "," not in self.raw


@dataclass
class SourceDocument:
    """A source text, read once."""

    text: str
    sentences: list[str] = field(init=False)
    numbered_steps: list[list[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.numbered_steps = self._numbered_runs(self.text.splitlines())
        plain = markdown_to_plain(self.text)
        self.sentences = []
        for paragraph in re.split(r"\n\s*\n|\n(?=\s*(?:\d{1,2}[.)]|[-*+])\s)", plain):
            line = re.sub(r"^\s*\d{1,2}[.)]\s+", "", paragraph.strip())
            self.sentences.extend(split_sentences(re.sub(r"\s+", " ", line)))

    @staticmethod
    def _numbered_runs(lines: list[str]) -> list[list[str]]:
        runs: list[list[str]] = []
        current: list[str] = []
        for line in lines:
            match = NUMBERED_LINE.match(line)
            if match and int(match.group(1)) == len(current) + 1:
                current.append(strip_end(markdown_to_plain(match.group(2)).strip()))
                continue
            if match and int(match.group(1)) == 1:
                if len(current) >= 3:
                    runs.append(current)
                current = [strip_end(markdown_to_plain(match.group(2)).strip())]
                continue
            if line.strip() and len(current) >= 3:
                runs.append(current)
            if line.strip():
                current = []
        if len(current) >= 3:
            runs.append(current)
        return runs

    @cached_property
    def word_count(self) -> int:
        return sum(len(WORD.findall(sentence)) for sentence in self.sentences)

    @cached_property
    def capitalised_inside_sentences(self) -> frozenset[str]:
        """Words written with a capital somewhere other than a sentence's start: names. A
        word capitalised only where a sentence begins is a common word."""
        return frozenset(
            word for sentence in self.sentences for word in WORD.findall(sentence)[1:] if word[:1].isupper()
        )

    def is_name(self, phrase: str) -> bool:
        words = phrase.split()
        return (
            bool(words)
            and all(w[:1].isupper() or w in ("of", "de", "the", "von", "van") for w in words)
            and words[0] in self.capitalised_inside_sentences
            and words[0].lower() not in STOPWORDS
        )

    @cached_property
    def term_weights(self) -> dict[str, float]:
        """TF-IDF across sentences: frequent in the text, not spread over every sentence."""
        frequency: Counter[str] = Counter()
        spread: Counter[str] = Counter()
        for sentence in self.sentences:
            words = content_words(sentence)
            frequency.update(words)
            spread.update(set(words))
        count = max(len(self.sentences), 1)
        return {w: frequency[w] * math.log(1 + count / spread[w]) for w in frequency}

    def sentence_score(self, sentence: str) -> float:
        words = set(content_words(sentence))
        if not words:
            return 0.0
        score = sum(self.term_weights.get(w, 0.0) for w in words) / math.sqrt(len(words))
        if any(d.sentence == sentence for d in self.definitions):
            score *= 1.5
        return score

    def key_sentences(self, limit: int) -> list[str]:
        """The `limit` best sentences, in the order the text gives them."""
        candidates = [s for s in self.sentences if 5 <= len(WORD.findall(s)) <= 60]
        ranked = sorted(candidates, key=lambda s: (-self.sentence_score(s), self.sentences.index(s)))
        chosen = set(ranked[:limit])
        return [s for s in self.sentences if s in chosen]

    @cached_property
    def definitions(self) -> list[Definition]:
        found: list[Definition] = []
        seen: set[str] = set()
        for index, sentence in enumerate(self.sentences):
            definition = self._definition_in(sentence, self.sentences[index - 1] if index else "")
            if definition and definition.term.lower() not in seen:
                seen.add(definition.term.lower())
                found.append(definition)
        return found

    def _definition_in(self, sentence: str, previous: str) -> Definition | None:
        body = strip_end(sentence)
        for pattern in DEFINITION_PATTERNS:
            match = pattern.match(body)
            if match:
                term, meaning = _clean_term(match.group("term")), match.group("definition").strip()
                return self._accept(term, meaning, sentence)
        match = CALLED_PATTERN.match(body)
        if match:
            term, meaning = _clean_term(match.group("term")), match.group("definition").strip()
            if VAGUE_SUBJECT.match(meaning) and previous:
                meaning = strip_end(previous)
            return self._accept(term, meaning, sentence)
        return None

    def _accept(self, term: str, meaning: str, sentence: str) -> Definition | None:
        words = term.split()
        if not 1 <= len(words) <= 4 or words[0].lower() in NON_TERM_STARTS:
            return None
        if len(WORD.findall(meaning)) < 3 or VAGUE_SUBJECT.match(meaning):
            return None
        if not contains_whole(sentence, term):
            return None
        return Definition(term=term, definition=meaning, sentence=sentence, is_name=self.is_name(term))

    @cached_property
    def names(self) -> list[str]:
        """Capitalised names (people, places, events), in order of first appearance."""
        found: list[str] = []
        for sentence in self.sentences:
            for match in NAME.finditer(sentence):
                name = match.group(0).strip()
                if match.start() == 0 and not self.is_name(name):
                    name = " ".join(name.split()[1:])
                if not name or name.lower() in STOPWORDS or name.lower() in MONTHS or name.endswith(("'s", "’s")):
                    continue
                if self.is_name(name) and name not in found:
                    found.append(name)
        return found

    @cached_property
    def numbers(self) -> list[NumberFact]:
        definition_sentences = {d.sentence for d in self.definitions}
        facts: list[NumberFact] = []
        for sentence in self.sentences:
            matches = list(NUMBER.finditer(sentence))
            for match in matches:
                raw = match.group(1)
                if sentence.count(raw) != 1:
                    continue
                facts.append(
                    NumberFact(
                        sentence=sentence,
                        raw=raw,
                        value=float(raw.replace(",", "")),
                        in_definition=sentence in definition_sentences,
                    )
                )
        return facts

    def marked_sequence(self) -> list[str]:
        """Sentences that run First … Then … Finally, with the markers taken off."""
        best: list[str] = []
        current: list[str] = []
        for sentence in self.sentences:
            if SEQUENCE_START.match(sentence):
                current = [capitalise(SEQUENCE_START.sub("", sentence, count=1))]
            elif current and SEQUENCE_NEXT.match(sentence):
                current.append(capitalise(SEQUENCE_NEXT.sub("", sentence, count=1)))
            elif current and SEQUENCE_END.match(sentence):
                current.append(capitalise(SEQUENCE_END.sub("", sentence, count=1)))
                best = current if len(current) > len(best) else best
                current = []
            else:
                best = current if len(current) > len(best) else best
                current = []
        best = current if len(current) > len(best) else best
        return [strip_end(item) for item in best] if len(best) >= 3 else []

    def dated_events(self) -> list[tuple[int, str]]:
        """Sentences that each carry one year, as (year, the event without its date), by year."""
        events: dict[int, str] = {}
        for fact in self.numbers:
            if not fact.is_year or sum(1 for f in self.numbers if f.sentence == fact.sentence and f.is_year) != 1:
                continue
            event = YEAR_PHRASE.sub("", fact.sentence, count=1)
            if event == fact.sentence:
                event = re.sub(r",?\s*\b(?:in|by|during)\s+" + fact.raw + r"\b", "", fact.sentence, count=1)
            if fact.raw in event:
                continue
            year = int(fact.value)
            if year not in events:
                events[year] = capitalise(strip_end(event))
        return sorted(events.items())
