import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The dashboard page: apps/dashboard/index.html → dist/dashboard (served by the gateway at `/`). */
export default defineConfig({
  root: here('.'),
  base: './',
  logLevel: 'warn',
  resolve: {
    alias: {
      '@doflamingo/client': here('../../libs/client/src/index.ts'),
      '@doflamingo/contracts': here('../../libs/contracts/src/index.ts'),
    },
  },
  build: {
    outDir: here('../../dist/dashboard'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
});
