"""`python manage.py benchmark`: a synthetic dataset (dataset.py) and what is measured on it
(measure.py). Timings live here, never in the test suite, which checks query counts."""
