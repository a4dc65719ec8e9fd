"""PHQ-15: pure scoring, course and alerts, records, chart, summary; for areas and documents."""
