"""Nothing typed is lost: guarded form, fields, drafts, keys, conflicts; for areas and the gate."""
