"""The scheduler: filters and weighers over an in-memory view of the compute hosts."""
