"""Strawberry types, one concept per module; each wraps a store row."""
