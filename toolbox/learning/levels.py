"""Levels from total XP.

Reaching level L takes 50·L·(L−1) XP in total: level 2 at 100 XP, 3 at 300, 4 at 600,
5 at 1,000. Each level asks 100 XP more than the one before, so early levels come quickly
and later ones still feel reachable.
"""

from __future__ import annotations

import math


def xp_for_level(level: int) -> int:
    """Total XP at which `level` is reached (level 1 at 0 XP)."""
    return 50 * level * (level - 1)


def level_for_xp(total_xp: int) -> int:
    """The highest level L with 50·L·(L−1) ≤ total_xp, solved exactly in integers."""
    return (1 + math.isqrt(1 + 8 * max(total_xp, 0) // 100)) // 2
