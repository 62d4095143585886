"""The badges ToolBox awards (the same list as toolbox.learning.services.gamification.BADGES)."""

from django.db import migrations

BADGES = {
    "first_quiz": {"name": "First quiz", "description": "Submitted a first quiz.", "icon": "🎯"},
    "perfect_score": {"name": "Perfect score", "description": "Answered every question of a quiz right.", "icon": "💯"},
    "streak_5": {"name": "Five-day streak", "description": "Learned something five days in a row.", "icon": "🔥"},
    "mastered_5": {"name": "Five objectives mastered", "description": "Mastered five learning objectives.", "icon": "🏅"},
    "first_lesson": {"name": "First lesson", "description": "Completed a first lesson.", "icon": "📘"},
    "quizzes_10": {"name": "Ten quizzes", "description": "Submitted ten quizzes.", "icon": "🏆"},
}


def create_badges(apps, schema_editor):
    Badge = apps.get_model("learning", "Badge")
    for code, fields in BADGES.items():
        Badge.objects.update_or_create(code=code, defaults=fields)


def remove_badges(apps, schema_editor):
    apps.get_model("learning", "Badge").objects.filter(code__in=BADGES).delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(create_badges, remove_badges)]
