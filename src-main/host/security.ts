import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/*
 * The web host is for the till itself (development, browser tests): loopback
 * only, and a random token per launch so another local user or a web page the
 * cashier opens cannot drive the till. The token arrives once in the URL
 * printed at start (query `?token=`), becomes an HttpOnly SameSite=Strict
 * cookie, and is refused everywhere without it. The Host header is checked so a
 * DNS-rebinding page cannot reach us under another name.
 */

export const TOKEN_COOKIE = 'bp_token';

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  'Cache-Control': 'no-store',
};

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return v.join('=');
  }
  return undefined;
}

/** Where the request's token came from, or null when it has none that matches. */
export function presentedToken(req: IncomingMessage, url: URL, token: string): 'query' | 'header' | 'cookie' | null {
  const q = url.searchParams.get('token');
  if (q !== null && sameSecret(q, token)) return 'query';
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && sameSecret(auth.slice(7), token)) return 'header';
  const c = cookieToken(req);
  if (c !== undefined && sameSecret(c, token)) return 'cookie';
  return null;
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? '';
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A browser's cross-site POST carries an Origin: only our own is accepted. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}
