"""Screenings collected offline with ODK Collect, KoboToolbox or Enketo, brought in to be scored, kept and referred."""
