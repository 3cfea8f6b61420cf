"""LAPOR Hub: the national GraphQL hub for SP4N-LAPOR! complaints.

Layers, importing only downwards (see docs/architecture.md):
``domain`` -> ``store`` -> ``connectors``/``sync`` -> ``resolvers`` -> ``schema`` -> ``app``/``cli``.
"""

__version__ = "0.1.0"
