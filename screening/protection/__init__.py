"""Protection of the people in the data: what identifies them, encryption, the audit trail, retention, web security."""
