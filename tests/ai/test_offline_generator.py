"""The offline generator on real texts: valid, distinct questions whose answers the text supports."""

from __future__ import annotations

import re

import pytest

from tests.ai.texts import ALL_TEXTS, FRENCH_REVOLUTION, PHOTOSYNTHESIS, WATER_CYCLE
from toolbox.ai.offline.questions import QuestionWriter
from toolbox.ai.offline.text import SourceDocument, markdown_to_plain, split_sentences
from toolbox.ai.providers.base import GenerationError
from toolbox.ai.providers.offline import OfflineProvider, similarity
from toolbox.ai.schemas import ALL_BLOOM_VERBS, GenerationRequest, QuestionDraft, QuizDraft, normalise_text

BLANK = "_____"


def flat(text: str) -> str:
    return normalise_text(re.sub(r"\s+", " ", markdown_to_plain(text)))


def quiz_for(text: str, topic: str, count: int = 12) -> QuizDraft:
    request = GenerationRequest(subject="Any", grade="7", topic=topic, source_text=text, question_count=count)
    return OfflineProvider().generate_quiz(request=request, source_text=text, lesson=None).draft


def filled(prompt: str, answer: str) -> str:
    """The sentence of a fill-in prompt with its blank filled by the answer."""
    sentence = prompt.split("? ", 1)[-1].split(": ", 1)[-1]
    return normalise_text(sentence.replace(BLANK, answer))


def assert_supported_by_text(question: QuestionDraft, text: str) -> None:
    source = flat(text)
    kind = question.kind
    if kind == "short_answer":
        assert filled(question.prompt, question.accepted_answers[0]) in source
    elif kind in ("single_choice", "numeric") and BLANK in question.prompt:
        answer = question.correct_choices[0] if kind == "single_choice" else f"{question.numeric_answer:g}"
        assert filled(question.prompt, answer) in source
    elif kind == "single_choice":
        described = re.search(r"describe as “(.+)”\?$", question.prompt)
        assert described is not None
        term = question.correct_choices[0]
        sentence = next(s for s in SourceDocument(text).sentences if normalise_text(described.group(1)) in flat(s))
        assert normalise_text(term) in flat(sentence) or normalise_text(term) in source
    elif kind == "true_false":
        statement = normalise_text(question.prompt.removeprefix("True or false? "))
        assert (statement in source) == (question.correct_choices == ["True"])
    elif kind == "multiple_choice":
        for choice in question.choices:
            assert (normalise_text(choice) in source) == question.is_correct_choice(choice)
    elif kind == "ordering":
        positions = [source.find(normalise_text(item)) for item in question.choices]
        assert -1 not in positions
        assert positions == sorted(positions)


@pytest.mark.parametrize("topic", list(ALL_TEXTS))
def test_questions_are_valid_distinct_and_answerable_from_the_text(topic: str) -> None:
    text = ALL_TEXTS[topic]
    quiz = quiz_for(text, topic)

    assert len(quiz.questions) >= 8
    prompts = [normalise_text(q.prompt) for q in quiz.questions]
    assert len(set(prompts)) == len(prompts)
    for question in quiz.questions:
        QuestionDraft.model_validate(question.model_dump())  # every rule of its kind holds
        assert_supported_by_text(question, text)
        if question.kind in ("single_choice", "multiple_choice"):
            wrong = [c for c in question.choices if not question.is_correct_choice(c)]
            assert wrong
            assert all(normalise_text(w) not in {normalise_text(c) for c in question.correct_choices} for w in wrong)


def test_every_kind_of_question_is_written_from_the_texts() -> None:
    kinds = {q.kind for topic, text in ALL_TEXTS.items() for q in quiz_for(text, topic, count=30).questions}
    assert kinds == {"single_choice", "multiple_choice", "true_false", "short_answer", "numeric", "ordering"}


def test_distractors_are_of_the_same_sort_as_the_answer() -> None:
    document = SourceDocument(FRENCH_REVOLUTION)
    single_choices = list(QuestionWriter(document).single_choices())
    numbers = [q for q in single_choices if "Which number" in q.prompt]
    names = [q for q in single_choices if "Which name" in q.prompt]
    assert numbers
    assert names
    for question in numbers:
        assert all(re.fullmatch(r"\d+", choice) for choice in question.choices)
        answer = int(question.correct_choices[0])
        assert all(abs(int(choice) - answer) <= 10 for choice in question.choices)
    for question in names:
        assert all(choice in document.names for choice in question.choices)


def test_ordering_comes_from_numbered_steps_sequence_words_and_dates() -> None:
    steps = [q for q in quiz_for(WATER_CYCLE, "the water cycle", 30).questions if q.kind == "ordering"]
    assert steps[0].choices[0] == "Water evaporates from oceans, lakes and rivers"
    stages = [q for q in quiz_for(PHOTOSYNTHESIS, "photosynthesis", 30).questions if q.kind == "ordering"]
    assert stages[0].choices == [
        "Chlorophyll absorbs light energy",
        "The plant splits water molecules into hydrogen and oxygen",
        "The hydrogen combines with carbon dioxide to build glucose",
        "The oxygen leaves the leaf through the stomata",
    ]
    dated = [q for q in quiz_for(FRENCH_REVOLUTION, "the revolution", 30).questions if q.kind == "ordering"]
    assert dated[0].choices[-1] == "Napoleon Bonaparte seized power and ended the revolution"


def test_the_lesson_draft_has_bloom_objectives_vocabulary_key_ideas_checks_and_summary() -> None:
    request = GenerationRequest(
        subject="Science", grade="7", topic="photosynthesis", objectives=["list what plants need"]
    )
    lesson = OfflineProvider().generate_lesson(request=request, source_text=PHOTOSYNTHESIS).draft
    source = flat(PHOTOSYNTHESIS)

    assert all(o.verb in ALL_BLOOM_VERBS for o in lesson.objectives)
    assert lesson.objectives[0].statement == "List what plants need"
    assert {item.term for item in lesson.vocabulary} >= {"Photosynthesis", "Chlorophyll", "stomata"}
    assert all(normalise_text(idea) in source for idea in lesson.key_ideas)
    assert all(normalise_text(s) in source for s in split_sentences(lesson.summary))
    assert lesson.check_for_understanding[0].question == "What is meant by “Photosynthesis”?"
    assert "## Vocabulary" in lesson.body_markdown


def headings(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("#")]


@pytest.mark.parametrize("title_line", ["# Photosynthesis", "## photosynthesis", "# Photosynthesis #"])
def test_a_source_heading_repeating_the_topic_is_not_repeated_in_the_lesson(title_line: str) -> None:
    source = PHOTOSYNTHESIS.replace("# Photosynthesis", title_line, 1) + (
        "\n## How it works\nThe leaf takes in carbon dioxide\nthrough tiny holes.\n"
        "- Water comes up from the roots.\n- Sunlight gives the energy.\n"
    )
    request = GenerationRequest(subject="Science", grade="7", topic="Photosynthesis")
    lesson = OfflineProvider().generate_lesson(request=request, source_text=source).draft

    assert headings(lesson.body_markdown) == [
        "# Photosynthesis",
        "## Read",
        "### How it works",  # the source's own section, inside the one that holds the source
        "## Key ideas",
        "## Vocabulary",
        "## In order",
        "## Summary",
    ]
    assert "The leaf takes in carbon dioxide through tiny holes.\n\n- Water comes up" in lesson.body_markdown
    assert "- Water comes up from the roots.\n- Sunlight gives the energy." in lesson.body_markdown


def test_a_first_heading_other_than_the_topic_is_kept_as_a_section() -> None:
    request = GenerationRequest(subject="Science", grade="7", topic="How plants feed")
    lesson = OfflineProvider().generate_lesson(request=request, source_text=PHOTOSYNTHESIS).draft

    assert headings(lesson.body_markdown)[:3] == ["# How plants feed", "## Read", "### Photosynthesis"]


def test_key_sentences_favour_the_terms_the_text_is_about() -> None:
    document = SourceDocument(PHOTOSYNTHESIS)
    key = document.key_sentences(3)
    assert any("Photosynthesis is the process" in sentence for sentence in key)
    assert all(len(sentence.split()) >= 5 for sentence in key)


def test_sentences_are_not_split_after_abbreviations_or_in_decimals() -> None:
    assert split_sentences("Dr. Smith measured 3.5 litres, e.g. in the lab. Then he left.") == [
        "Dr. Smith measured 3.5 litres, e.g. in the lab.",
        "Then he left.",
    ]


def test_with_no_source_text_it_says_what_it_needs_and_how_to_configure_a_model() -> None:
    request = GenerationRequest(subject="Science", grade="7", topic="volcanoes")
    with pytest.raises(GenerationError) as failure:
        OfflineProvider().generate_lesson(request=request, source_text="")
    assert failure.value.message.startswith("Offline mode writes lessons and quizzes from source text")
    for setting in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AI_MODEL"):
        assert setting in failure.value.message


def test_a_text_too_short_to_build_from_is_refused_plainly() -> None:
    request = GenerationRequest(subject="Science", grade="7", topic="volcanoes")
    with pytest.raises(GenerationError, match="too short"):
        OfflineProvider().generate_quiz(request=request, source_text="Volcanoes erupt.", lesson=None)


def test_answer_similarity_scores_typos_and_reordered_words_high_and_other_answers_low() -> None:
    assert similarity("photosynthesys", "photosynthesis") > 0.85
    assert similarity("carbon dioxide and water", "water and carbon dioxide") == 1.0
    assert similarity("gravity", "photosynthesis") < 0.4
    provider = OfflineProvider()
    close = provider.suggest_feedback(prompt="?", accepted_answers=["photosynthesis"], response_text="fotosynthesis")
    far = provider.suggest_feedback(prompt="?", accepted_answers=["photosynthesis"], response_text="respiration")
    assert close.draft.score_fraction == 1.0
    assert far.draft.score_fraction == 0.0
    assert 0 <= far.draft.confidence <= 1
