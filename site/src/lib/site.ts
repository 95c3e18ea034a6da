// The node-side helpers the pages use (they live in functions/core/site/ with the build).
export * from '../../../functions/core/site/chart-catalog.ts';
export * from '../../../functions/core/site/format.ts';
export * from '../../../functions/core/site/published-data.ts';
export * from '../../../functions/core/site/site-model.ts';
