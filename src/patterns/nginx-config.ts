/**
 * The HttpAdapter's nginx configuration file, and the limits of the nginx
 * values it holds. Internal: not exported from the package entry point.
 */

/**
 * The longest route path the HttpAdapter accepts. nginx before 1.23.4
 * (Debian 12 ships 1.22) keeps the length of a location in one byte and never
 * matches a route longer than 256 characters (the 255 after the "/" of
 * `location /`); nginx ticket #2435.
 */
export const NGINX_MAX_ROUTE_PATH = 256;

/**
 * The longest upstream path the HttpAdapter accepts. nginx reads its
 * configuration through a 4096-byte buffer and refuses a parameter that does
 * not fit ("too long parameter"); `proxy_pass http://app<path>` fits up to a
 * path of 4085 characters, so the limit leaves room below it.
 */
export const NGINX_MAX_UPSTREAM_PATH = 4000;

/** Where nginx writes its pid file and temporary files (an emptyDir in the Pod). */
export const NGINX_TMP_DIR = '/tmp';

/** One exact path and the app's path it is answered from. */
export interface NginxRoute {
  readonly path: string;
  readonly upstreamPath: string;
}

/** What the configuration is rendered from. */
export interface NginxSettings {
  readonly name: string;
  /** The port the adapter listens on. */
  readonly port: number;
  /** The app's port on 127.0.0.1. */
  readonly appPort: number;
  /** How long to wait for the app, in whole seconds. */
  readonly timeoutSeconds: number;
  readonly routes: NginxRoute[];
}

/** A complete nginx.conf, runnable as `nginx -c <file>`. Joined from its lines, so it is one flat string. */
export function renderNginxConfig(s: NginxSettings): string {
  const t = NGINX_TMP_DIR;
  const timeout = `${s.timeoutSeconds}s`;
  const lines = [
    `# HttpAdapter "${s.name}": port ${s.port} -> app on 127.0.0.1:${s.appPort}.`,
    'worker_processes 1;',
    'daemon off;',
    `pid ${t}/nginx.pid;`,
    'error_log stderr warn;',
    '',
    'events {',
    '  worker_connections 512;',
    '}',
    '',
    'http {',
    '  access_log off;',
    '  server_tokens off;',
    `  client_body_temp_path ${t}/client_temp;`,
    `  proxy_temp_path ${t}/proxy_temp;`,
    `  fastcgi_temp_path ${t}/fastcgi_temp;`,
    `  uwsgi_temp_path ${t}/uwsgi_temp;`,
    `  scgi_temp_path ${t}/scgi_temp;`,
    '',
    '  upstream app {',
    `    server 127.0.0.1:${s.appPort};`,
    '    keepalive 64;',
    '  }',
    '',
    '  server {',
    `    listen ${s.port};`,
    '    proxy_http_version 1.1;',
    '    proxy_set_header Connection "";',
    '    proxy_set_header Host $host;',
    '    proxy_connect_timeout 5s;',
    `    proxy_read_timeout ${timeout};`,
    `    proxy_send_timeout ${timeout};`,
    '',
  ];
  for (const r of s.routes) {
    lines.push(
      `    location = ${r.path} {`,
      `      proxy_pass http://app${r.upstreamPath};`,
      '    }',
    );
  }
  lines.push(
    '',
    '    location / {',
    '      return 404;',
    '    }',
    '  }',
    '}',
    '',
  );
  return lines.join('\n');
}
