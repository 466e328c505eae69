import { Controller, Get, Header } from '@nestjs/common';

/** Placeholder front page until the dashboard lands: says where things are. */
@Controller()
export class HomeController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home(): string {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Doflamingo</title></head>
<body><h1>Doflamingo gateway</h1><p>The dashboard is served here. Health: <a href="/health">/health</a>.</p></body></html>`;
  }
}
