/** Seed data: the doc-example records and the demo dataset, in Graph JSON wire shape. */
export type { SeedDataset } from './seed-dataset.js';
export * from './doc-examples.js';
export { DEMO_DATASET, LARGE_PROFILE_ID, SYNTHETIC_LABEL, buildDemoDataset, buildSyntheticProfiles, slug } from './demo-dataset.js';
export { indicatorId, unclassifiedArtifactId } from './ids.js';
