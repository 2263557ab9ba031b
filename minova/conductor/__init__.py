"""The conductor: the only service that opens the database; it orchestrates builds."""
