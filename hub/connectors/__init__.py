"""Connectors: one module per regional protocol family, all speaking
:class:`hub.connectors.base.Connector`. A connector is a thin wire client plus
a declarative mapping kept in the region's configuration."""
