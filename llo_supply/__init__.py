"""llo-supply: monitor of the Dutch lifelong-learning (LLO) course market."""

__version__ = "0.1.0"
