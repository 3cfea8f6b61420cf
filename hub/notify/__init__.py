"""Notification channels: e-mail over SMTP, SMS through a gateway, signed webhooks.

Each channel delivers one outbox row's message and sorts its failures into
:class:`~hub.connectors.records.RetryableError` (try again later) and
:class:`~hub.connectors.records.FatalError` (a person must act), as a
connector does, so the dispatcher retries every target alike.
"""
