import { addressProblem, checkWebhookUrl } from './webhookUrl';

const refused = (raw: string, allowLoopback = true) => {
  try {
    checkWebhookUrl('url', raw, allowLoopback);
  } catch (e) {
    return (e as { extensions: { code: string; argument: string } }).extensions;
  }
  return null;
};

describe('checkWebhookUrl', () => {
  it('takes https anywhere that is not link-local, including the intranet', () => {
    expect(checkWebhookUrl('url', 'https://hooks.example.gov.cn/pingan#x', false)).toBe('https://hooks.example.gov.cn/pingan');
    expect(checkWebhookUrl('url', 'https://10.20.30.40:8443/hook', false)).toBe('https://10.20.30.40:8443/hook');
  });

  it('takes http only to loopback, and loopback only in dev and tests', () => {
    expect(checkWebhookUrl('url', 'http://127.0.0.1:4000/hook', true)).toBe('http://127.0.0.1:4000/hook');
    expect(checkWebhookUrl('url', 'http://[::1]:4000/hook', true)).toBe('http://[::1]:4000/hook');
    expect(refused('http://127.0.0.1:4000/hook', false)).toEqual({ code: 'BAD_USER_INPUT', argument: 'url' });
    expect(refused('https://localhost/hook', false)).toEqual({ code: 'BAD_USER_INPUT', argument: 'url' });
    expect(refused('http://hooks.example.gov.cn/')).toEqual({ code: 'BAD_USER_INPUT', argument: 'url' });
    expect(refused('http://10.0.0.1/')).toEqual({ code: 'BAD_USER_INPUT', argument: 'url' });
  });

  it('refuses metadata and link-local addresses in every form, other schemes and credentials', () => {
    for (const raw of [
      'https://169.254.169.254/latest/meta-data/',
      'https://100.100.100.200/latest/meta-data/',
      'https://[fe80::1]/',
      'https://[::ffff:169.254.169.254]/',
      'https://[fd00:ec2::254]/',
      'https://0.0.0.0/',
      'ftp://hooks.example.gov.cn/',
      'file:///etc/passwd',
      'https://user:pw@hooks.example.gov.cn/',
      'not a url',
    ])
      expect({ raw, refused: refused(raw) }).toEqual({ raw, refused: { code: 'BAD_USER_INPUT', argument: 'url' } });
  });
});

describe('addressProblem', () => {
  it('judges the addresses a host name resolves to at delivery', () => {
    expect(addressProblem('169.254.169.254', true)).not.toBeNull();
    expect(addressProblem('::ffff:127.0.0.1', false)).not.toBeNull();
    expect(addressProblem('127.0.0.1', true)).toBeNull();
    expect(addressProblem('192.168.1.10', false)).toBeNull();
  });
});
