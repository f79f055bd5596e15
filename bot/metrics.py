"""Prometheus metrics for `GET /metrics`: what the service did (events, sends, 429s, answer times, scheduler lag)
counted in this process, and what is waiting (inbox lag, outbox depth, LINE quota) read from the database at
each scrape.

Served only to loopback callers that did not come through a proxy, or with `COORDBOT_METRICS_TOKEN` as a bearer
token: the counts and depths say how busy the network is, which is nobody else's business.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from storage import health

disable_created_metrics()  # a `_created` series beside every counter only doubles what is scraped
REGISTRY = CollectorRegistry()
EVENTS = Counter("coordbot_events", "Webhook events handled, by platform and outcome", ["platform", "status"],
                 registry=REGISTRY)
ANSWER = Histogram("coordbot_answer_seconds", "From a webhook's arrival to its answer sent",
                   ["platform"], buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60), registry=REGISTRY)
SENDS = Counter("coordbot_sends", "Outbox rows finished, by platform and outcome", ["platform", "outcome"],
                registry=REGISTRY)
RATE_LIMITED = Counter("coordbot_rate_limited", "429 answers from a platform", ["platform"], registry=REGISTRY)
SCHEDULER_LAG = Gauge("coordbot_scheduler_lag_seconds", "How late the last job started after its planned time",
                      registry=REGISTRY)
QUOTA_CACHE_S = 300.0
"""LINE's quota is asked for at most this often: every scrape would be two API calls."""
MAX_WAITING = 10_000

_received: dict[str, tuple[str, datetime]] = {}
"""Answer rows not yet sent: their outbox key → (platform, when the webhook arrived)."""


def answer_queued(key: str, platform: str, received_at: datetime) -> None:
    if len(_received) < MAX_WAITING:  # a platform that stops answering must not grow this without bound
        _received[key] = (platform, received_at)


def answer_done(key: str, sent_at: datetime | None) -> None:
    """An answer row left the outbox; a sent one is timed from its webhook."""
    entry = _received.pop(key, None)
    if entry is not None and sent_at is not None:
        ANSWER.labels(entry[0]).observe(max(0.0, (sent_at - entry[1]).total_seconds()))


class Waiting(Collector):
    """Gauges read from the database (and LINE's quota) when Prometheus scrapes."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime], quota: Callable[[], int | None]) -> None:
        self.engine, self.clock, self.quota = engine, clock, quota
        self.quota_at, self.quota_left = -QUOTA_CACHE_S, None  # type: float, int | None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with Session(self.engine) as session:
            now = health.read(session=session, now=self.clock())
        yield GaugeMetricFamily("coordbot_inbox_lag_seconds", "Age of the oldest event waiting to be handled",
                                value=now.inbox_lag_s)
        yield GaugeMetricFamily("coordbot_inbox_pending", "Events waiting to be handled", value=now.inbox_pending)
        depth = GaugeMetricFamily("coordbot_outbox_depth", "Messages waiting to be sent", labels=["platform"])
        for platform in ("line", "telegram"):
            depth.add_metric([platform], health.outbox_depth(now, platform))
        yield depth
        yield GaugeMetricFamily("coordbot_jobs_overdue_seconds", "How long the most overdue job has waited",
                                value=now.jobs_late_s)
        left = self._quota()
        if left is not None:
            yield GaugeMetricFamily("coordbot_line_quota_left", "LINE messages left this month", value=left)

    def _quota(self) -> int | None:
        if time.monotonic() - self.quota_at >= QUOTA_CACHE_S:
            self.quota_at = time.monotonic()
            try:
                self.quota_left = self.quota()
            except Exception:  # the SDK raises several unrelated types; a scrape must not fail over it
                self.quota_left = None
        return self.quota_left


_watching: list[Waiting] = []
"""The database gauges registered by this process's app (one app a process, tests aside)."""


def watch(engine: Engine, clock: Callable[[], datetime], quota: Callable[[], int | None]) -> None:
    """Register this process's database gauges, in place of an earlier app's."""
    while _watching:
        REGISTRY.unregister(_watching.pop())
    _watching.append(Waiting(engine, clock, quota))
    REGISTRY.register(_watching[0])


def allowed(settings: Settings, client_host: str | None, headers: Mapping[str, str]) -> bool:
    """Loopback without a proxy in between, or the bearer token."""
    token = settings.metrics_token.get_secret_value()
    given = headers.get("authorization", "")
    if token and given.startswith("Bearer ") and secrets.compare_digest(given[7:].encode(), token.encode()):
        return True
    proxied = any(name in headers for name in ("x-forwarded-for", "forwarded", "x-real-ip"))
    return client_host in ("127.0.0.1", "::1") and not proxied


def render() -> bytes:
    return generate_latest(REGISTRY)
