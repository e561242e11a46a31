"""The benchmark: a synthetic dataset of N audits (``dataset``), and the measurements
taken over it."""
