"""Commands for the shell (``flask --app wsgi ...``): thin, like the views, over the same services."""
