"""The offline provider: lessons, quizzes and answer feedback from the source text alone.

No network and no model: the product works out of the box. It cannot invent material, so
with no source text it says what it needs, and how to configure a model instead.
"""

from __future__ import annotations

import difflib

from toolbox.ai.offline.questions import QuestionWriter, pick_questions
from toolbox.ai.offline.safety import flag_unsafe_words
from toolbox.ai.offline.text import (
    WORD,
    SourceDocument,
    capitalise,
    content_words,
    markdown_blocks,
    strip_end,
    without_title_heading,
)
from toolbox.ai.providers.base import Generated, GenerationError
from toolbox.ai.schemas import (
    ALL_BLOOM_VERBS,
    AnswerFeedbackDraft,
    GenerationRequest,
    LearningObjectiveDraft,
    LessonDraft,
    QuizDraft,
    UnderstandingCheck,
    VocabularyItem,
    normalise_text,
)

NEEDS_SOURCE_MESSAGE = (
    "Offline mode writes lessons and quizzes from source text, and none was given: paste the text to "
    "build from, or choose an existing lesson, and try again. To generate from a topic alone, configure "
    "a model: set OPENAI_API_KEY (with OPENAI_BASE_URL for a compatible server such as Ollama or vLLM, "
    "and AI_MODEL for the model's name) and restart ToolBox."
)
TOO_SHORT_MESSAGE = (
    "The source text is too short to build from: the offline generator needs at least three full "
    "sentences. Paste a longer text, or configure a model (OPENAI_API_KEY, OPENAI_BASE_URL, AI_MODEL)."
)
NO_QUESTIONS_MESSAGE = (
    "The source text gave nothing to write those questions from: the offline generator needs "
    "definitions (“X is …”, “X means …”), names, numbers or steps in order. Choose other question kinds, "
    "paste a fuller text, or configure a model (OPENAI_API_KEY, OPENAI_BASE_URL, AI_MODEL)."
)


def _document(source_text: str, topic: str) -> SourceDocument:
    if not source_text.strip():
        raise GenerationError(NEEDS_SOURCE_MESSAGE)
    document = SourceDocument(without_title_heading(source_text, topic))
    if len([s for s in document.sentences if len(WORD.findall(s)) >= 4]) < 3:
        raise GenerationError(TOO_SHORT_MESSAGE)
    return document


def _objectives(request: GenerationRequest, document: SourceDocument) -> list[LearningObjectiveDraft]:
    objectives: list[LearningObjectiveDraft] = []
    for given in request.objectives:
        verb = given.split()[0].casefold()
        if verb in ALL_BLOOM_VERBS:
            objectives.append(LearningObjectiveDraft(verb=verb, statement=capitalise(given)))
        else:
            objectives.append(
                LearningObjectiveDraft(verb="describe", statement=f"Describe {given[0].lower()}{given[1:]}")
            )
    terms = [d.term for d in document.definitions]
    if terms:
        objectives.append(
            LearningObjectiveDraft(verb="define", statement=f"Define {', '.join(terms[:3])} in their own words.")
        )
    objectives.append(
        LearningObjectiveDraft(verb="explain", statement=f"Explain the key ideas of {request.topic} from the text.")
    )
    if len(terms) >= 2:
        objectives.append(LearningObjectiveDraft(verb="compare", statement=f"Compare {terms[0]} and {terms[1]}."))
    if document.numbered_steps or document.marked_sequence() or len(document.dated_events()) >= 3:
        objectives.append(
            LearningObjectiveDraft(verb="sequence", statement=f"Sequence the main stages of {request.topic}.")
        )
    return objectives[:6]


def _understanding_checks(document: SourceDocument, key_ideas: list[str]) -> list[UnderstandingCheck]:
    checks = [
        UnderstandingCheck(question=f"What is meant by “{d.term}”?", answer=capitalise(strip_end(d.definition)) + ".")
        for d in document.definitions[:3]
    ]
    sequence = document.marked_sequence() or (document.numbered_steps[0] if document.numbered_steps else [])
    if sequence:
        checks.append(UnderstandingCheck(question="What happens first, according to the text?", answer=sequence[0]))
    if not checks:
        checks.append(UnderstandingCheck(question="What is one key idea of the text?", answer=key_ideas[0]))
    return checks[:4]


def _body(request: GenerationRequest, document: SourceDocument, key_ideas: list[str], summary: str) -> str:
    source = "\n\n".join(markdown_blocks(document.text, top_heading_level=3))
    parts = [f"# {capitalise(request.topic)}", "", "## Read", "", source, "", "## Key ideas", ""]
    parts += [f"- {idea}" for idea in key_ideas]
    if document.definitions:
        parts += ["", "## Vocabulary", ""]
        parts += [f"- **{d.term}**: {capitalise(strip_end(d.definition))}." for d in document.definitions]
    sequence = document.marked_sequence() or (document.numbered_steps[0] if document.numbered_steps else [])
    if sequence:
        parts += ["", "## In order", ""]
        parts += [f"{number}. {item}" for number, item in enumerate(sequence, start=1)]
    parts += ["", "## Summary", "", summary]
    return "\n".join(parts)


def similarity(response: str, accepted: str) -> float:
    """How close a short answer is to an accepted one: the better of character similarity
    and word overlap, so that both typos and reordered words score well."""
    a, b = normalise_text(response), normalise_text(accepted)
    if not a or not b:
        return 0.0
    characters = difflib.SequenceMatcher(None, a, b).ratio()
    words_a, words_b = set(content_words(a) or a.split()), set(content_words(b) or b.split())
    overlap = len(words_a & words_b) / len(words_a | words_b) if words_a | words_b else 0.0
    return max(characters, overlap)


class OfflineProvider:
    name = "offline"
    model_name = "offline-extractive-v1"

    def generate_lesson(self, *, request: GenerationRequest, source_text: str) -> Generated[LessonDraft]:
        document = _document(source_text, request.topic)
        key_ideas = [strip_end(s) + "." for s in document.key_sentences(5)]
        summary = " ".join(key_ideas[:3])
        lesson = LessonDraft(
            title=capitalise(request.topic)[:200],
            objectives=_objectives(request, document),
            vocabulary=[
                VocabularyItem(term=d.term, definition=capitalise(strip_end(d.definition)) + ".")
                for d in document.definitions[:30]
            ],
            key_ideas=key_ideas,
            body_markdown=_body(request, document, key_ideas, summary),
            check_for_understanding=_understanding_checks(document, key_ideas),
            summary=summary,
            estimated_minutes=min(60, max(5, round(document.word_count / 120) + 5)),
        )
        return Generated(draft=lesson)

    def generate_quiz(
        self, *, request: GenerationRequest, source_text: str, lesson: LessonDraft | None
    ) -> Generated[QuizDraft]:
        document = _document(source_text, request.topic)
        candidates = QuestionWriter(document).candidates()
        questions = pick_questions(candidates, list(request.question_kinds), request.question_count)
        if not questions:
            raise GenerationError(NO_QUESTIONS_MESSAGE)
        warnings: list[str] = []
        if len(questions) < request.question_count:
            warnings.append(
                f"The source text supported {len(questions)} of the {request.question_count} questions asked for."
            )
        missing = [kind.replace("_", " ") for kind in request.question_kinds if not candidates.get(kind)]
        if missing:
            warnings.append("The source text gave nothing to write these kinds from: " + ", ".join(missing) + ".")
        quiz = QuizDraft(
            title=f"Quiz: {capitalise(request.topic)}"[:200],
            description=f"Questions on {request.topic}, written from the source text.",
            questions=questions,
        )
        return Generated(draft=quiz, warnings=warnings)

    def revise_reading_level(
        self, *, request: GenerationRequest, lesson: LessonDraft, measured_grade: float
    ) -> Generated[LessonDraft] | None:
        return None

    def suggest_feedback(
        self, *, prompt: str, accepted_answers: list[str], response_text: str
    ) -> Generated[AnswerFeedbackDraft]:
        scored = [(similarity(response_text, accepted), accepted) for accepted in accepted_answers if accepted.strip()]
        best, closest = max(scored, default=(0.0, ""))
        if best >= 0.85:
            fraction, feedback = 1.0, f"Close to the expected answer “{closest}”; probably a slip of spelling."
        elif best >= 0.6:
            fraction, feedback = 0.5, f"Partly right: compare with the expected answer “{closest}”."
        else:
            fraction, feedback = 0.0, f"This does not match the expected answer “{closest}”."
        # Confidence is highest far from the thresholds, lowest right at them.
        confidence = round(min(1.0, 0.5 + min(abs(best - 0.85), abs(best - 0.6)) * 2), 2)
        return Generated(draft=AnswerFeedbackDraft(score_fraction=fraction, feedback=feedback, confidence=confidence))

    def flag_unsafe(self, *, text: str) -> list[str]:
        return flag_unsafe_words(text)
