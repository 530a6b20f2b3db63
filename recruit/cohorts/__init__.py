"""Pre-employment programmes, their cohorts, sessions, attendance, enrolment and completion."""
