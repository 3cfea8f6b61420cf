"""Pure national rules: vocabulary, lifecycle, service levels, tracking ids.

Nothing here does I/O or imports a framework; every other layer leans on it.
"""
