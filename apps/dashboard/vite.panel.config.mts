import { defineConfig } from 'vite';
import { here, shared } from './vite.shared.mjs';

/**
 * The Web Component for Flamingo and other pages: one classic script, dist/dashboard/doflamingo-panel.js,
 * CSS inlined into the shadow root. A classic (IIFE) script needs no CORS to load from the gateway.
 */
export default defineConfig({
  root: shared.root,
  logLevel: shared.logLevel,
  resolve: shared.resolve,
  build: {
    outDir: shared.outDir,
    emptyOutDir: false,
    target: 'es2022',
    lib: { entry: here('src/panel-element.ts'), name: 'DoflamingoPanel', formats: ['iife'], fileName: () => 'doflamingo-panel.js' },
  },
});
