"""Provider spiders: one file and one ``name`` per provider (see tests/scrapers/test_spiders.py)."""
