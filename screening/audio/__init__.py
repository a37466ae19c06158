"""Audio: recordings of the texts the person hears, by people who speak the language, checked, approved and packed."""
