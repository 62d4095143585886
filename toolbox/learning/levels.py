"""Levels from total XP.

Each level costs more than the one before: reaching level n takes 50·(n−1)² XP in total
(level 2 at 50 XP, 3 at 200, 4 at 450, 5 at 800…), so early levels come quickly and later
ones still mean something.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

XP_PER_LEVEL_STEP = 50


def xp_for_level(level: int) -> int:
    """The total XP at which `level` begins."""
    return XP_PER_LEVEL_STEP * (max(level, 1) - 1) ** 2


def level_for_xp(xp: int) -> int:
    # ⌊√⌊x⌋⌋ = ⌊√x⌋, so integer arithmetic gives the exact level with no float rounding.
    return math.isqrt(max(xp, 0) // XP_PER_LEVEL_STEP) + 1


@dataclass(frozen=True, slots=True)
class LevelProgress:
    xp: int
    level: int
    level_starts_at: int
    next_level_at: int

    @property
    def percent_to_next(self) -> int:
        span = self.next_level_at - self.level_starts_at
        return min(100, (self.xp - self.level_starts_at) * 100 // span)


def level_progress(xp: int) -> LevelProgress:
    level = level_for_xp(xp)
    return LevelProgress(xp=xp, level=level, level_starts_at=xp_for_level(level), next_level_at=xp_for_level(level + 1))
