"""The database layer. Only the conductor and minova-manage import it."""
