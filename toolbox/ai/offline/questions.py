"""Questions written from a source text, of each kind the domain knows.

Each correct answer is a word, number or sentence of the text; each distractor is another
item of the same sort from the text (another defined term, another name) or a number near
the right one, so it is plausible but, by construction, not what the text says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from toolbox.ai.offline.text import (
    Definition,
    NumberFact,
    SourceDocument,
    capitalise,
    contains_whole,
    replace_whole,
    strip_end,
)
from toolbox.ai.schemas import QuestionDraft, QuestionKindName, normalise_text

BLANK = "_____"
CHOICES_PER_QUESTION = 4


def _quoted(sentence: str) -> str:
    return f"“{strip_end(sentence)}.”"


def _format_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def near_numbers(value: float, *, count: int) -> list[str]:
    """Wrong answers near the right one: neighbouring years, small offsets, or scaled values."""
    if value.is_integer() and 1000 <= value <= 2100:
        offsets: list[float] = [-10, 1, 10, -1, 5, -5]
        candidates = [value + offset for offset in offsets]
    elif value.is_integer():
        step = max(1, round(abs(value) * 0.25))
        candidates = [value + step, value - step, value + 2 * step, value * 2, value + 3 * step]
    else:
        candidates = [value * 2, value / 2, value + 1, value - 1, value * 1.5]
    texts: list[str] = []
    for candidate in candidates:
        text = _format_number(round(candidate, 6))
        if candidate >= 0 and candidate != value and text not in texts:
            texts.append(text)
    return texts[:count]


class QuestionWriter:
    def __init__(self, document: SourceDocument) -> None:
        self.document = document
        self.definitions = [d for d in document.definitions if contains_whole(d.sentence, d.term)]

    def _same_sort_terms(self, definition: Definition) -> list[str]:
        """Other defined terms of the same sort (names with names, words with words)."""
        others = [
            d.term
            for d in self.definitions
            if d.is_name == definition.is_name
            and normalise_text(d.term) != normalise_text(definition.term)
            and not contains_whole(definition.term, d.term)
            and not contains_whole(d.term, definition.term)
        ]
        if definition.is_name:
            others += [n for n in self.document.names if n not in others and not contains_whole(definition.term, n)]
        return [o for o in others if normalise_text(o) != normalise_text(definition.term)]

    def _other_names(self, name: str, sentence: str) -> list[str]:
        """Other names of the text, those as long as the answer first (a person's full name
        among full names rather than among one-word places)."""
        others = [
            n
            for n in self.document.names
            if n != name
            and not contains_whole(sentence, n)
            and not contains_whole(n, name)
            and not contains_whole(name, n)
        ]
        length = len(name.split())
        return sorted(others, key=lambda n: abs(len(n.split()) - length))

    # --- each kind ---------------------------------------------------------------------------

    def short_answers(self) -> Iterator[QuestionDraft]:
        for definition in self.definitions:
            blanked = replace_whole(strip_end(definition.sentence), definition.term, BLANK)
            accepted = list(dict.fromkeys([definition.term, definition.term.lower()]))
            yield QuestionDraft(
                kind="short_answer",
                prompt=f"Fill in the blank with the right term: {capitalise(blanked)}.",
                accepted_answers=accepted,
                explanation=f"The text says: {_quoted(definition.sentence)}",
            )

    def single_choices(self) -> Iterator[QuestionDraft]:
        for definition in self.definitions:
            distractors = self._same_sort_terms(definition)[: CHOICES_PER_QUESTION - 1]
            if len(distractors) >= 2 and not any(contains_whole(definition.definition, d) for d in distractors):
                yield QuestionDraft(
                    kind="single_choice",
                    prompt=f"Which term does the text describe as “{strip_end(definition.definition)}”?",
                    choices=self._rotate([definition.term, *distractors], definition.term),
                    correct_choices=[definition.term],
                    explanation=f"The text says: {_quoted(definition.sentence)}",
                )
        defined = {d.sentence for d in self.definitions}
        for name in self.document.names:
            sentence = next(
                (
                    s
                    for s in self.document.sentences
                    if contains_whole(s, name) and s not in defined and s.count(" ") >= 5
                ),
                None,
            )
            if sentence is None:
                continue
            distractors = self._other_names(name, sentence)[: CHOICES_PER_QUESTION - 1]
            if len(distractors) >= 2:
                blanked = replace_whole(strip_end(sentence), name, BLANK)
                yield QuestionDraft(
                    kind="single_choice",
                    prompt=f"Which name completes the sentence from the text? {blanked}.",
                    choices=self._rotate([name, *distractors], name),
                    correct_choices=[name],
                    explanation=f"The text says: {_quoted(sentence)}",
                )
        for fact in self._number_facts():
            choices = [fact.raw, *near_numbers(fact.value, count=CHOICES_PER_QUESTION - 1)]
            yield QuestionDraft(
                kind="single_choice",
                prompt=f"Which number completes the sentence from the text? {self._blank_number(fact)}.",
                choices=self._rotate(choices, fact.raw),
                correct_choices=[fact.raw],
                explanation=f"The text says: {_quoted(fact.sentence)}",
            )

    def true_false(self) -> Iterator[QuestionDraft]:
        for index, definition in enumerate(self.definitions):
            swapped = self._swapped(definition)
            if index % 2 == 1 and swapped:
                statement, truth = swapped, False
            else:
                statement, truth = strip_end(definition.sentence), True
            yield QuestionDraft(
                kind="true_false",
                prompt=f"True or false? {capitalise(statement)}.",
                choices=["True", "False"],
                correct_choices=["True" if truth else "False"],
                explanation=f"The text says: {_quoted(definition.sentence)}",
            )
        for index, fact in enumerate(self._number_facts()):
            truth = index % 2 == 0
            wrong = near_numbers(fact.value, count=1)
            statement = strip_end(fact.sentence)
            if not truth and wrong:
                statement = statement.replace(fact.raw, wrong[0], 1)
            yield QuestionDraft(
                kind="true_false",
                prompt=f"True or false? {statement}.",
                choices=["True", "False"],
                correct_choices=["True" if truth or not wrong else "False"],
                explanation=f"The text says: {_quoted(fact.sentence)}",
            )

    def multiple_choices(self) -> Iterator[QuestionDraft]:
        """Select all the true statements: two sentences of the text and two with a term swapped."""
        definitions = self.definitions
        for first, second in zip(definitions[0::2], definitions[1::2], strict=False):
            false_first, false_second = self._swapped(first), self._swapped(second)
            if not false_first or not false_second:
                continue
            true_statements = [strip_end(first.sentence) + ".", strip_end(second.sentence) + "."]
            false_statements = [capitalise(false_first) + ".", capitalise(false_second) + "."]
            choices = [true_statements[0], false_statements[0], false_statements[1], true_statements[1]]
            if len({normalise_text(c) for c in choices}) != len(choices):
                continue
            yield QuestionDraft(
                kind="multiple_choice",
                prompt=(
                    f"Which statements about {first.term} and {second.term} are true according to the text? "
                    "Select all that apply."
                ),
                choices=choices,
                correct_choices=true_statements,
                explanation=f"The text says: {_quoted(first.sentence)} and {_quoted(second.sentence)}",
            )

    def numerics(self) -> Iterator[QuestionDraft]:
        for fact in self._number_facts():
            yield QuestionDraft(
                kind="numeric",
                prompt=f"What number completes the sentence from the text? {self._blank_number(fact)}.",
                numeric_answer=fact.value,
                numeric_tolerance=0,
                explanation=f"The text says: {_quoted(fact.sentence)}",
            )

    def orderings(self) -> Iterator[QuestionDraft]:
        for steps in self.document.numbered_steps:
            yield QuestionDraft(
                kind="ordering",
                prompt="Put these steps in the order the text gives them.",
                choices=[step[:300] for step in steps[:8]],
                explanation="The text numbers these steps in this order.",
            )
        sequence = self.document.marked_sequence()
        if sequence:
            yield QuestionDraft(
                kind="ordering",
                prompt="Put these stages in the order the text describes them.",
                choices=[item[:300] for item in sequence[:8]],
                explanation="The text goes through these stages in this order (first, then, …, finally).",
            )
        events = self.document.dated_events()
        if len(events) >= 3:
            chosen = events[:6]
            yield QuestionDraft(
                kind="ordering",
                prompt="Put these events in the order they happened, earliest first.",
                choices=[event[:300] for _, event in chosen],
                explanation="The text dates them: " + ", ".join(str(year) for year, _ in chosen) + ".",
            )

    # --- helpers -------------------------------------------------------------------------------

    def _number_facts(self) -> list[NumberFact]:
        """Numbers worth asking about: those in definitions first, each sentence once."""
        facts = sorted(
            self.document.numbers, key=lambda f: (not f.in_definition, self.document.sentences.index(f.sentence))
        )
        chosen: list[NumberFact] = []
        for fact in facts:
            if all(f.sentence != fact.sentence for f in chosen) and fact.sentence.count(" ") >= 4:
                chosen.append(fact)
        return chosen

    @staticmethod
    def _blank_number(fact: NumberFact) -> str:
        return strip_end(fact.sentence).replace(fact.raw, BLANK, 1)

    def _phrase_of(self, term: str, sentence: str) -> re.Match[str] | None:
        """The term where the sentence uses it, with its article ("the water cycle")."""
        return re.search(r"(?<![\w-])(?:(?:the|a|an)\s+)?" + re.escape(term) + r"(?![\w-])", sentence, re.I)

    @staticmethod
    def _verb_after(term: str, sentence: str) -> str | None:
        match = re.search(re.escape(term) + r"\s+(is|are|was|were)\b", sentence, re.I)
        return match.group(1).lower() if match else None

    def _swapped(self, definition: Definition) -> str | None:
        """The definition's sentence with its term replaced by another term, article and
        all: a false statement."""
        sentence = strip_end(definition.sentence)
        own = self._phrase_of(definition.term, sentence)
        if own is None:
            return None
        verb = self._verb_after(definition.term, sentence)
        for other in self._same_sort_terms(definition):
            if contains_whole(sentence, other):
                continue
            other_definition = next((d for d in self.definitions if d.term == other), None)
            if other_definition and self._verb_after(other, other_definition.sentence) not in (verb, None):
                continue  # "Chlorophyll are …" would give itself away by its grammar
            found = self._phrase_of(other, other_definition.sentence) if other_definition else None
            replacement = found.group(0) if found else other
            if not self.document.is_name(other):
                replacement = replacement.lower()
            statement = capitalise(sentence[: own.start()] + replacement + sentence[own.end() :])
            if normalise_text(statement) not in {normalise_text(s) for s in self.document.sentences}:
                return statement
        return None

    @staticmethod
    def _rotate(choices: list[str], answer: str) -> list[str]:
        """A fixed, answer-dependent position for the right choice, so it is not always first."""
        shift = sum(map(ord, answer)) % len(choices)
        return choices[shift:] + choices[:shift]

    def candidates(self) -> dict[QuestionKindName, list[QuestionDraft]]:
        writers: dict[QuestionKindName, Callable[[], Iterator[QuestionDraft]]] = {
            "short_answer": self.short_answers,
            "single_choice": self.single_choices,
            "multiple_choice": self.multiple_choices,
            "true_false": self.true_false,
            "numeric": self.numerics,
            "ordering": self.orderings,
        }
        return {kind: list(writer()) for kind, writer in writers.items()}


def pick_questions(
    candidates: dict[QuestionKindName, list[QuestionDraft]], kinds: list[QuestionKindName], count: int
) -> list[QuestionDraft]:
    """Take the kinds in turn so that a quiz mixes them, skipping repeated prompts."""
    queues = {kind: list(candidates.get(kind, [])) for kind in kinds}
    chosen: list[QuestionDraft] = []
    seen: set[str] = set()
    while len(chosen) < count and any(queues.values()):
        for kind in kinds:
            while queues[kind]:
                question = queues[kind].pop(0)
                key = normalise_text(question.prompt)
                if key not in seen:
                    seen.add(key)
                    chosen.append(question)
                    break
            if len(chosen) >= count:
                break
    return chosen
