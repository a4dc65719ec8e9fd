"""Accounts: users, passwords, two factors, throttled logins, login sessions, admin changes."""
