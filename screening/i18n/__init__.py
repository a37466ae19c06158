"""Languages: choosing them, the translation catalogs, web fonts for every script, and Burmese typed in Zawgyi."""
