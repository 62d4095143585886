"""Prompt templates, kept in code with a version id each.

A template's version goes into every draft's provenance and into the request fingerprint:
change the wording, change the version, and no earlier output is reused for the new prompt.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.prompts import ChatPromptTemplate

SYSTEM_RULES = (
    "You write teaching material for a school. Write for students in grade {grade} "
    "(a Flesch–Kincaid reading grade near {target_grade}). Use only facts that are correct and, "
    "when source text is given, supported by it. Placeholders such as [STUDENT_1] stand for real "
    "people: keep them exactly as they are and invent no other personal details. "
    "Answer only through the structured output you are given."
)


@dataclass(frozen=True)
class PromptTemplate:
    version: str
    template: ChatPromptTemplate


LESSON_PROMPT = PromptTemplate(
    version="lesson-v1",
    template=ChatPromptTemplate.from_messages(
        [
            ("system", SYSTEM_RULES),
            (
                "human",
                "Write a {subject} lesson on “{topic}”.\n"
                "Learning goals: {objectives}\n"
                "Give: a title; 2–5 objectives, each starting with a Bloom's taxonomy verb (define, explain, "
                "compare, apply, evaluate, create, …); the key vocabulary with definitions; 3–6 key ideas; "
                "the lesson body in Markdown; 2–4 check-for-understanding questions with answers; a summary.\n"
                "Source text (may be empty):\n<source>\n{source_text}\n</source>",
            ),
        ]
    ),
)

QUIZ_PROMPT = PromptTemplate(
    version="quiz-v1",
    template=ChatPromptTemplate.from_messages(
        [
            ("system", SYSTEM_RULES),
            (
                "human",
                "Write a {subject} quiz on “{topic}” with exactly {question_count} questions, using only "
                "these kinds: {question_kinds}.\n"
                "Learning goals: {objectives}\n"
                "Rules: single_choice has 3–5 choices and one correct; multiple_choice has 4–6 choices and "
                "one or more correct; true_false has the choices True and False; short_answer lists every "
                "acceptable answer; numeric gives the value and a tolerance; ordering lists 3–6 items in the "
                "correct order. Every correct choice must be one of the question's choices, word for word. "
                "Distractors are plausible but wrong. No two questions alike. Add a short explanation to each.\n"
                "Source text (may be empty):\n<source>\n{source_text}\n</source>",
            ),
        ]
    ),
)

READING_LEVEL_REVISION_PROMPT = PromptTemplate(
    version="revise-reading-level-v1",
    template=ChatPromptTemplate.from_messages(
        [
            ("system", SYSTEM_RULES),
            (
                "human",
                "This lesson reads at grade {measured_grade:.1f}; rewrite it to read at grade {target_grade} "
                "(shorter sentences and simpler words for a lower grade, richer ones for a higher grade). "
                "Keep its facts, objectives and vocabulary.\n<lesson>\n{lesson_json}\n</lesson>",
            ),
        ]
    ),
)

ANSWER_FEEDBACK_PROMPT = PromptTemplate(
    version="answer-feedback-v1",
    template=ChatPromptTemplate.from_messages(
        [
            (
                "system",
                "You help a teacher mark short answers. Suggest a fair share of the points (0 to 1), a short "
                "kind comment for the student, and how confident you are. The teacher makes the final call.",
            ),
            (
                "human",
                "Question: {prompt}\nAccepted answers: {accepted_answers}\nStudent's answer: {response_text}",
            ),
        ]
    ),
)

REPAIR_MESSAGE = (
    "Your last answer did not pass validation:\n{error}\n"
    "Answer again through the structured output, fixing exactly these problems."
)

PROMPT_VERSIONS = {
    "lesson": LESSON_PROMPT.version,
    "quiz": QUIZ_PROMPT.version,
    "lesson_quiz": f"{LESSON_PROMPT.version}+{QUIZ_PROMPT.version}",
    "practice_items": QUIZ_PROMPT.version,
    "answer_feedback": ANSWER_FEEDBACK_PROMPT.version,
}
