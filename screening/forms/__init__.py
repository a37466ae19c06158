"""Forms: what each page accepts, with a message in the officer's language for every refusal."""
