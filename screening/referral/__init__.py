"""Referrals: the directory of services, referring a person, following the referral up, and printed documents."""
