"""Data leaving the app in standard forms (FHIR R4, the research data set); for areas and the CLI.

Plain data is read in chunks of patients (`records`), turned into resources or rows, and
written as a stream, so an export of the whole practice holds one chunk in memory at a time.
"""
