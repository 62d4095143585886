"""Factories for test data, one module per domain app; import them from here."""

from tests.factories.accounts import (
    TEST_PASSWORD,
    AdminFactory,
    EducatorFactory,
    ParentFactory,
    ParentLinkFactory,
    SchoolFactory,
    StudentFactory,
    UserFactory,
)
from tests.factories.ai import GenerationJobFactory
from tests.factories.classroom import ClassroomFactory, EnrollmentFactory
from tests.factories.content import (
    ChoiceFactory,
    LearningObjectiveFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
)
from tests.factories.learning import AssignmentFactory, LessonAssignmentFactory

__all__ = [
    "TEST_PASSWORD",
    "AdminFactory",
    "AssignmentFactory",
    "ChoiceFactory",
    "ClassroomFactory",
    "EducatorFactory",
    "EnrollmentFactory",
    "GenerationJobFactory",
    "LearningObjectiveFactory",
    "LessonAssignmentFactory",
    "LessonFactory",
    "ParentFactory",
    "ParentLinkFactory",
    "QuestionFactory",
    "QuizFactory",
    "SchoolFactory",
    "StudentFactory",
    "UserFactory",
]
