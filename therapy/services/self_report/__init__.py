"""The patient's own answers: requests (device or link), the date-of-birth check, drafts and
the submit that stores answers with their source. Imported by the self_report area only."""
