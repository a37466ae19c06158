"""The caseworker's desk: finding cases, and statistics kept as screenings end."""
