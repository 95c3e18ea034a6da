/// <reference types="astro/client" />

/** The folder holding data/v1 for this build, fixed by astro.config.mjs (vite define). */
declare const __CONGKHAI_OUT__: string;
