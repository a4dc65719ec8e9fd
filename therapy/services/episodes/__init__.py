"""A treatment episode: intake, sessions logged, closing, its timeline and the facts judged."""
