"""The demo school's teaching material: Science 7, Mathematics 7 and History 8."""

from __future__ import annotations

from toolbox.learning.demo.material import history8, maths7, science7
from toolbox.learning.demo.material.spec import LessonSpec, SubjectSpec

SUBJECTS: tuple[SubjectSpec, ...] = (science7.SUBJECT, maths7.SUBJECT, history8.SUBJECT)

# Left out of the published material on purpose, so that the review queue has work in it.
AI_DRAFT_LESSON = LessonSpec("sci7-food-webs", "Food chains and food webs", (), 25)
AI_DRAFT_SUBJECT = "Science"
IN_REVIEW_LESSON = LessonSpec("math7-probability", "Introduction to probability", (), 25, "introductory")
IN_REVIEW_SUBJECT = "Mathematics"
