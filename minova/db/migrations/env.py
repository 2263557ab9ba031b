"""Alembic environment: runs on the connection minova.db.migration hands it."""

from alembic import context

from minova.db import models

config = context.config
connection = config.attributes["connection"]

context.configure(connection=connection, target_metadata=models.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
