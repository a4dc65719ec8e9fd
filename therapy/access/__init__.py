"""Who reaches what: deny-by-default gate, scoping to the therapist, safe redirects; for areas."""
