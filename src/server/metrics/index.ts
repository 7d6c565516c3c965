/** Prometheus metrics: the registry and exposition the server mounts at /metrics. */
export { CollectTimeout } from './collect.ts';
export type { MetricsBus, MetricsEvents, OrderStage, StageMicros } from './events.ts';
export { ORDER_STAGES } from './events.ts';
export { LAG_BUCKETS_SECONDS, STAGE_BUCKETS_SECONDS } from './families.ts';
export { OTHER } from './labels.ts';
export { createMetrics, DEFAULT_COLLECT_TIMEOUT_MS, type Metrics, type MetricsOptions } from './metrics.ts';
export { orderStagesFromStore } from './order-stages.ts';
export type { AccountPnlSample, HealthSample, SourceCounter } from './scrape.ts';
