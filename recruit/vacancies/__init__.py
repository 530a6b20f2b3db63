"""The vacancy ledger: entry-level posts identified for programme completers."""
