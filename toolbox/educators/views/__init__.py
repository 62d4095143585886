"""The educator's pages, one module per area; URL modules import the views from these."""

from toolbox.educators.views import classes, gradebook, home

__all__ = ["classes", "gradebook", "home"]
