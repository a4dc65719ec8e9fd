"""The practice outcomes page's figures and charts: aggregates only, small counts suppressed."""
