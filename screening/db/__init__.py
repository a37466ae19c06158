"""The database: one SQLite file, a connection per server thread, transactions that take turns, frozen migrations."""
