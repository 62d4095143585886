# pyright: reportPrivateImportUsage=false, reportIncompatibleVariableOverride=false
# (factory-boy declares neither its public exports nor Meta in a way type checkers follow)
from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from tests.factories.accounts import EducatorFactory, SchoolFactory
from toolbox.ai.models import GenerationJob, JobKind, JobStatus


class GenerationJobFactory(DjangoModelFactory):
    """A queued offline quiz job, as `generation_job_create` would leave it."""

    class Meta:
        model = GenerationJob

    school = factory.SubFactory(SchoolFactory)
    created_by = factory.SubFactory(EducatorFactory, school=factory.SelfAttribute("..school"))
    kind = JobKind.QUIZ
    parameters = factory.LazyFunction(
        lambda: {"subject": "Science", "grade": "7", "topic": "Cells", "source_text": "", "question_count": 3}
    )
    request_fingerprint = factory.Sequence(lambda n: f"{n:064d}")
    status = JobStatus.QUEUED
    provider = "offline"
    model_name = "offline-extractive-v1"
    prompt_version = "quiz-v1"
