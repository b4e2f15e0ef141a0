"""Trained models shipped inside the package (weights only; each folder has a MODEL_CARD.md)."""
