import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, NotFoundException, Param, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@haidang/auth';

/**
 * The page allows only itself: scripts and styles from files of this service (no inline script,
 * no CDN), data from this service's API, nothing framed, no form posted anywhere. Stricter than the
 * platform's helmet default, which allows inline styles and https fonts.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const STATIC_DIR = join(__dirname, 'static');
/** chart.js's own UMD build from node_modules (its exports map hides `dist/`; its entry point sits beside it). */
const CHART_JS = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');

interface Asset {
  readonly file: string;
  readonly type: string;
}

/** Every file the page may load, by the name in its URL: anything else is 404, no path is ever joined from input. */
export const DASHBOARD_ASSETS: Readonly<Record<string, Asset>> = {
  'dashboard.js': { file: join(STATIC_DIR, 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  'dashboard.css': { file: join(STATIC_DIR, 'dashboard.css'), type: 'text/css; charset=utf-8' },
  'chart.umd.min.js': { file: CHART_JS, type: 'text/javascript; charset=utf-8' },
};

/**
 * `GET /dashboard`: one static page and its files. They are public because they hold no data: the
 * page asks for a token and calls `/api/v1/indicators` with it, under the same policy as any client.
 */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardHttpController {
  private readonly files = new Map<string, Buffer>();

  constructor() {
    // Read once at boot: a missing file stops the service instead of failing a user's first visit.
    this.files.set('index.html', readFileSync(join(STATIC_DIR, 'index.html')));
    for (const [name, asset] of Object.entries(DASHBOARD_ASSETS)) this.files.set(name, readFileSync(asset.file));
  }

  @Get()
  @Public()
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  page(): StreamableFile {
    return this.file('index.html', 'text/html; charset=utf-8');
  }

  @Get('assets/:name')
  @Public()
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  asset(@Param('name') name: string): StreamableFile {
    const asset = Object.hasOwn(DASHBOARD_ASSETS, name) ? DASHBOARD_ASSETS[name] : undefined;
    if (!asset) throw new NotFoundException('No such dashboard file');
    return this.file(name, asset.type);
  }

  private file(name: string, type: string): StreamableFile {
    const body = this.files.get(name) as Buffer;
    return new StreamableFile(body, { type, length: body.length });
  }
}
