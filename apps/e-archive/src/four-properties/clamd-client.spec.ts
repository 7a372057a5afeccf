import { parseReply } from './clamd-client.js';

describe('clamd INSTREAM replies', () => {
  it('reads OK as clean, FOUND as infected with its signature, anything else as an error', () => {
    expect(parseReply('stream: OK\0')).toEqual({ outcome: 'clean' });
    expect(parseReply('stream: Eicar-Test-Signature FOUND\0')).toEqual({
      outcome: 'infected',
      signature: 'Eicar-Test-Signature',
    });
    expect(parseReply('INSTREAM size limit exceeded. ERROR\0').outcome).toBe('error');
  });

  it('reads a connection closed without an answer as unavailable, not as a verdict', () => {
    expect(parseReply('').outcome).toBe('unavailable');
  });
});
