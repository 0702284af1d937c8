"""Plumbing shared by every domain: settings, database, templating, i18n, clock, security."""

from sqlmodel import SQLModel

# Every models module imports app.core first, so this runs before any table is declared.
# Named constraints let Alembic alter them on SQLite (batch mode) and match across databases.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
