"""Metrics of a running bot in Prometheus' text format, for ``/metrics``.

Counters and the latency histogram live in this process (each instance is scraped on its
own); the gauges are read from storage at each scrape, so every instance shows the same.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from core.measures import Reading
from core.ports import Handled

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# No *_created series: they double the output and say nothing here.
disable_created_metrics()  # type: ignore[no-untyped-call]
REGISTRY = CollectorRegistry()
UPDATES = Counter(
    "yousaid_updates",
    "Updates (messages, presses, commands) handled, by platform and outcome.",
    ["platform", "outcome"],
    registry=REGISTRY,
)
REPLIES_SENT = Counter(
    "yousaid_replies_sent",
    "Replies sent to people in answer to their updates, by platform.",
    ["platform"],
    registry=REGISTRY,
)
HANDLING = Histogram(
    "yousaid_handling_seconds",
    "Time the core took to handle one update, storage included.",
    ["platform"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)


class CountingObserver:
    """The core's observer: counts each handled update and times it."""

    def handled(self, platform: str, outcome: Handled, seconds: float) -> None:
        """Count the update and put its handling time in the histogram."""
        UPDATES.labels(platform, outcome).inc()
        HANDLING.labels(platform).observe(seconds)


def replies_sent(platform: str, count: int) -> None:
    """Count replies a platform took."""
    REPLIES_SENT.labels(platform).inc(count)


class _Gauges(Collector):
    def __init__(self, readings: list[Reading]) -> None:
        self._readings = readings

    def collect(self) -> Iterator[Metric]:
        for reading in self._readings:
            gauge = reading.gauge
            family = GaugeMetricFamily(
                gauge.name, gauge.help, labels=[gauge.label] if gauge.label else None
            )
            for label, value in reading.values.items():
                family.add_metric([label] if gauge.label else [], value)
            yield family


def exposition(readings: list[Reading]) -> bytes:
    """The text for ``/metrics``: counters and histogram, then the gauges read from storage."""
    gauges = CollectorRegistry()
    gauges.register(_Gauges(readings))
    return generate_latest(REGISTRY) + generate_latest(gauges)
