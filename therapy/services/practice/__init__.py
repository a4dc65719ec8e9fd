"""The practice itself: its settings for judging change."""
