"""Celery tasks for audit reminders and the monthly allocation."""
