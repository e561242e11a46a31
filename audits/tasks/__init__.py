"""Celery tasks of the audits app (autodiscovered through this package)."""

from .caselist import *  # noqa: F403
from .imports import *  # noqa: F403
from .reminders import *  # noqa: F403
