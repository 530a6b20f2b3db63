"""Outreach activities: where ambassadors and partners meet residents, and what came of it."""
