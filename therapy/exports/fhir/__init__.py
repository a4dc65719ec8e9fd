"""FHIR R4 (4.0.1) export through fhir.resources 6.4.0: a patient's Bundle, the practice NDJSON."""
