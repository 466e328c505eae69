import { Controller, Get, Header } from '@nestjs/common';

/**
 * Answers `/` only when the dashboard has not been built (with a build, the static files in
 * dist/dashboard answer first; see dashboard/dashboard-files.ts): says how to build it.
 */
@Controller()
export class HomeController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home(): string {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Doflamingo</title></head>
<body><h1>Doflamingo gateway</h1><p>The dashboard has not been built: run <code>npm run build</code> (it builds apps/dashboard into dist/dashboard) and restart the gateway.</p>
<p>Health: <a href="/health">/health</a> · API: <a href="/api/docs">/api/docs</a></p></body></html>`;
  }
}
