"""Item pipelines, one concern each, in the order of ITEM_PIPELINES."""
