"""The demo practice: its invented people and words, and seeding an empty database with them."""
