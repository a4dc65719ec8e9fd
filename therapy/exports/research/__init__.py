"""The pseudonymised research data set (SECURITY.md promise 12): CSV files and their dictionary."""
