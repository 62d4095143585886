"""`attempt_scores`: the score arithmetic shared by attempt submission and the demo seed."""

from __future__ import annotations

from decimal import Decimal

from toolbox.learning.services.attempts import attempt_scores

QUESTIONS = [{"points": "1.00"}, {"points": "2.00"}, {"points": "0.50"}]


def test_the_late_penalty_comes_off_the_raw_score_and_rounds_half_up() -> None:
    scores = attempt_scores(
        questions=QUESTIONS, points_awarded=[Decimal("1"), Decimal("2"), None], late_penalty_percent=Decimal("15")
    )

    assert scores.max_score == Decimal("3.50")
    assert scores.raw_score == Decimal("3.00")
    assert scores.final_score == Decimal("2.55")
    assert scores.final_percent == Decimal("72.86")


def test_a_quiz_worth_nothing_scores_zero_percent() -> None:
    scores = attempt_scores(questions=[], points_awarded=[], late_penalty_percent=Decimal("0"))

    assert scores.final_percent == Decimal("0.00")
