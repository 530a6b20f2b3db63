"""Participants: enrolment, eligibility, possible duplicates, the journey timeline."""
