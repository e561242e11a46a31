"""Celery tasks for importing past audits."""
