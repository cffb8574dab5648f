/** Label put into the free-text properties of every synthetic demo record (re-exported by demo-dataset.ts). */
export const SYNTHETIC_LABEL = 'Synthetic demo data (tigraph)';
