import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The Web Component for Flamingo and other pages: one classic script, dist/dashboard/doflamingo-panel.js,
 * CSS inlined into the shadow root. A classic (IIFE) script needs no CORS to load from the gateway.
 */
export default defineConfig({
  root: here('.'),
  logLevel: 'warn',
  resolve: {
    alias: {
      '@doflamingo/client': here('../../libs/client/src/index.ts'),
      '@doflamingo/contracts': here('../../libs/contracts/src/index.ts'),
    },
  },
  build: {
    outDir: here('../../dist/dashboard'),
    emptyOutDir: false,
    target: 'es2022',
    lib: { entry: here('src/panel-element.ts'), name: 'DoflamingoPanel', formats: ['iife'], fileName: () => 'doflamingo-panel.js' },
  },
});
