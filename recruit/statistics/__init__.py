"""Statistics: pure calculations (no Flask imports) and the aggregate SQL that feeds them."""
