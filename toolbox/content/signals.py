"""Keeps the cached review-queue counts right: any saved or deleted lesson or quiz may have
joined or left its school's queue, so the school's cached count is dropped once the change
commits (a rolled-back change leaves the count as it was)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from toolbox.content.models import Lesson, Quiz
from toolbox.content.selectors import review_queue_generation_key


def _forget_waiting_count(school_id: int) -> None:
    cache.set(review_queue_generation_key(school_id), uuid.uuid4().hex, timeout=None)


@receiver(post_save, sender=Lesson)
@receiver(post_save, sender=Quiz)
@receiver(post_delete, sender=Lesson)
@receiver(post_delete, sender=Quiz)
def content_changed(sender: type[Lesson | Quiz], instance: Lesson | Quiz, **kwargs: Any) -> None:
    school_id = instance.school_id
    transaction.on_commit(lambda: _forget_waiting_count(school_id))
