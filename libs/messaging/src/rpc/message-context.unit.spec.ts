import { runWithContext } from '@haidang/request-context';
import { contextHeaders, messageContextFromRequest, RpcHeaders } from './message-context';

describe('message context across services', () => {
  const principal = {
    sub: 'u-7',
    agency: { code: '22-REHAB_FACILITY-1', type: 'REHAB_FACILITY' as const, province: '22' },
    roles: ['caseworker' as const],
    jurisdiction: ['22'],
  };

  it('takes correlation, causation and identity from the request being handled', () => {
    const context = runWithContext({ correlationId: 'corr-9', commandId: 'cmd-3', principal }, () => messageContextFromRequest('Bearer abc.def.ghi'));
    expect(context).toEqual({
      correlationId: 'corr-9',
      causationId: 'cmd-3',
      actor: 'u-7',
      agency: '22-REHAB_FACILITY-1',
      authorization: 'Bearer abc.def.ghi',
    });
    const headers = contextHeaders(context);
    expect(headers.get(RpcHeaders.CorrelationId)).toBe('corr-9');
    expect(headers.get(RpcHeaders.CausationId)).toBe('cmd-3');
    expect(headers.get(RpcHeaders.Authorization)).toBe('Bearer abc.def.ghi');
  });

  it('forwards a long token but never a header-splitting one', () => {
    const long = `Bearer ${'a'.repeat(900)}`;
    expect(contextHeaders({ correlationId: 'c', authorization: long }).get(RpcHeaders.Authorization)).toBe(long);
    expect(contextHeaders({ correlationId: 'c', authorization: 'Bearer x\r\nX-Actor: forged' }).get(RpcHeaders.Authorization)).toBe('');
  });

  it('starts a new correlation outside any request', () => {
    expect(messageContextFromRequest().correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
