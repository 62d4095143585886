"""ToolBox: an open learning platform for schools."""

from toolbox.celery import app as celery_app

__all__ = ["celery_app"]
