"""Accounts: who may log in, with what role and organisation, their passwords, sessions and the login throttle."""
