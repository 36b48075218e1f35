"""Dutch NLP stage: tag texts with ESCO skills and occupations and SBI 2025 sectors."""
