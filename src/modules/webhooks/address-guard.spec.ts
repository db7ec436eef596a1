import { AddressClass, classifyAddress, resolveTarget, urlProblem } from './address-guard';

// Classification only: nothing here opens a connection.
describe('webhook address guard (spec §10, SSRF)', () => {
  const table: [string, AddressClass][] = [
    ['127.0.0.1', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.15.255.255', 'public'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['192.169.0.1', 'public'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'reserved'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
    ['2002:a00:1::1', 'private'], // 6to4 of 10.0.0.1
    ['2002:a9fe:a9fe::', 'link-local'], // 6to4 of 169.254.169.254, the cloud metadata address
    ['2002:5db8:d822::1', 'public'], // 6to4 of 93.184.216.34
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'], // Teredo
    ['64:ff9b:1::a00:1', 'reserved'], // local-use NAT64
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['localhost', 'invalid'],
    ['256.1.1.1', 'invalid'],
    ['', 'invalid'],
  ];
  it.each(table)('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  describe('urlProblem', () => {
    const dev = { production: false, allowedHosts: [] };
    const prod = { production: true, allowedHosts: ['hooks.internal'] };
    it.each([
      ['https://hooks.example.org/in', dev, null],
      ['http://hooks.example.org/in', dev, null],
      ['http://hooks.example.org/in', prod, 'must use https'],
      ['http://hooks.internal/in', prod, 'must use https'], // the allow list lifts the address rule only
      ['https://hooks.internal/in', prod, null],
      ['https://user:pass@hooks.example.org/', dev, 'must not contain credentials (user:password@)'],
      ['https://user@hooks.example.org/', dev, 'must not contain credentials (user:password@)'],
      ['ftp://hooks.example.org/', dev, 'must be an absolute http or https URL'],
      ['not a url', dev, 'must be an absolute http or https URL'],
      ['/relative', dev, 'must be an absolute http or https URL'],
    ] as const)('%s (production %#)', (url, rules, problem) => {
      expect(urlProblem(url, rules)).toBe(problem);
    });
  });

  describe('resolveTarget (with a stub resolver)', () => {
    const rules = { production: false, allowedHosts: ['internal.example'] };
    const stub = (addresses: string[]) => () => Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

    it('pins the first address when every address is public', async () => {
      await expect(resolveTarget('https://a.example/x', rules, stub(['93.184.216.34', '2606:2800:220:1::1']))).resolves.toEqual({ ok: true, address: '93.184.216.34', family: 4 });
    });

    it('refuses when any address is not public (a rebinding-style mixed answer)', async () => {
      const t = await resolveTarget('https://a.example/x', rules, stub(['93.184.216.34', '10.0.0.5']));
      expect(t).toEqual({ ok: false, reason: expect.stringContaining('host a.example resolves to a non-public address (private)') });
    });

    it.each([
      ['10.0.0.5', 'private'],
      ['169.254.169.254', 'link-local'],
      ['127.0.0.1', 'loopback'],
      ['fd00::5', 'unique-local'],
      ['::ffff:192.168.7.7', 'private'],
    ])('names the class and the host as given, never the address it resolves to (%s)', async (address, cls) => {
      const t = await resolveTarget('https://Vault.Internal.Example/x', rules, stub([address]));
      expect(t).toEqual({ ok: false, reason: `host vault.internal.example resolves to a non-public address (${cls}); only public addresses unless the host is in WEBHOOK_ALLOWED_HOSTS` });
      expect(JSON.stringify(t)).not.toContain(address);
    });

    it('admits any address of a host listed in WEBHOOK_ALLOWED_HOSTS', async () => {
      await expect(resolveTarget('http://internal.example:8080/x', rules, stub(['10.0.0.5']))).resolves.toEqual({ ok: true, address: '10.0.0.5', family: 4 });
    });

    it('checks IP literals without a lookup, IPv6 in brackets included', async () => {
      const never = () => Promise.reject(new Error('no lookup expected'));
      await expect(resolveTarget('http://[::1]:8080/', rules, never)).resolves.toEqual({ ok: false, reason: expect.stringMatching(/^::1 is a non-public address \(loopback\);/) });
      await expect(resolveTarget('http://[::ffff:192.168.0.1]/', rules, never)).resolves.toEqual({ ok: false, reason: expect.stringContaining('private') });
      await expect(resolveTarget('http://0.0.0.0/', rules, never)).resolves.toEqual({ ok: false, reason: expect.stringContaining('unspecified') });
    });

    it('refuses a host that does not resolve', async () => {
      const fail = () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
      await expect(resolveTarget('https://nowhere.example/', rules, fail)).resolves.toEqual({ ok: false, reason: 'host nowhere.example does not resolve (ENOTFOUND)' });
    });
  });
});
