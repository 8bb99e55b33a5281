"""Alembic environment: runs on the connection handed over by storage.database.upgrade."""

from alembic import context

from storage.models import Base

target_metadata = Base.metadata
connection = context.config.attributes["connection"]

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
