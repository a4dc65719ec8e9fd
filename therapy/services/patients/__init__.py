"""Patients and their GPs: creating and editing them."""
