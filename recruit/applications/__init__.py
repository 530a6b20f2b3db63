"""Applications to entry-level vacancies, from applied to a start."""
