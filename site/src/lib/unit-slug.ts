// The unit slug is shared with the publisher (per-unit downloads under data/v1/units/<slug>/):
// one function for pages and downloads, declared in functions/core/unit-slug.ts.
export * from '../../../functions/core/unit-slug.ts';
