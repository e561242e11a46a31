FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN useradd --create-home --uid 1000 qa
# WeasyPrint (the reports' PDF) lays out text with Pango and HarfBuzz; Liberation Sans has
# Arial's measures, for the PDF and the charts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# Static files are collected at build time; a throwaway key is enough for that step.
RUN DEBUG=false SECRET_KEY=build-only-key-build-only-key-build-only-key-0123456789 \
    ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R qa /app/var
USER qa
EXPOSE 8000
CMD ["gunicorn", "qa_audit.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
