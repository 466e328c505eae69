import { defineConfig } from 'vite';
import { shared } from './vite.shared.mjs';

/** The dashboard page: apps/dashboard/index.html → dist/dashboard (served by the gateway at `/`). */
export default defineConfig({
  root: shared.root,
  base: './',
  logLevel: shared.logLevel,
  resolve: shared.resolve,
  build: {
    outDir: shared.outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
});
