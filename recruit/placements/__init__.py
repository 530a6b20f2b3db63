"""Work experience placements for completers, and the list of those still waiting for one."""
