"""Outcomes, sustainment checks, progression and interim volunteering."""
