"""The caseload: a page of patients, its to-do badges, and pages kept until data changes."""
