import { fileURLToPath } from 'node:url';

/** A path relative to apps/dashboard. */
export const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** What both Vite builds (the page and the Web Component) share: sources, aliases, output folder. */
export const shared = {
  root: here('.'),
  logLevel: 'warn' as const,
  resolve: {
    alias: {
      '@doflamingo/client': here('../../libs/client/src/index.ts'),
      '@doflamingo/contracts': here('../../libs/contracts/src/index.ts'),
    },
  },
  outDir: here('../../dist/dashboard'),
};
