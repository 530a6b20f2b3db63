"""Career ambassadors: the trust's own staff who take NHS careers into the community."""
