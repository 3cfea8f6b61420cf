"""What operators watch: Prometheus metrics, readiness, JSON logs with request ids.

- :mod:`.metrics`: counters fed by the sync scheduler's run listener and a
  GraphQL extension; gauges (lag, outbox depth) read from the store at scrape
  time, so every hub process reports the same shared state.
- :mod:`.logs`: one JSON object per log line, carrying the request id that
  :class:`~.logs.RequestIdMiddleware` takes from ``X-Request-ID`` or makes.
"""
