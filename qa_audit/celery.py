"""The Celery application: Redis broker, JSON only, late acknowledgement.

With no broker configured (the development default) tasks run eagerly in the web
process, so the product works without Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qa_audit.settings")

app = Celery("qa_audit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
