import { bearerTokenFrom } from './bearer';

describe('bearerTokenFrom', () => {
  // Issue 10 §11: the scheme is case-insensitive (RFC 7235 §2.1); `bearer <jwt>` was refused.
  it.each(['Bearer abc.def.ghi', 'bearer abc.def.ghi', 'BEARER abc.def.ghi', 'bEaReR  abc.def.ghi', ' Bearer abc.def.ghi '])(
    'takes the token from %j',
    (header) => {
      expect(bearerTokenFrom(header)).toBe('abc.def.ghi');
    },
  );

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'Bearerabc.def', 'Token abc.def.ghi'])('calls %j malformed', (header) => {
    expect(bearerTokenFrom(header)).toBe('malformed');
  });

  it('calls an absent header absent', () => {
    expect(bearerTokenFrom(undefined)).toBeUndefined();
    expect(bearerTokenFrom('')).toBeUndefined();
  });
});
