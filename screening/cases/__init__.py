"""Cases: screenings as stored records, who may see them, and the casework done on them."""
