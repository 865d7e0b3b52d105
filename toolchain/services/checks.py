"""Client checks of the services spike (python3 stdlib + the dig and nsupdate commands). Started by spike.sh.
Provisions three desa the way a sync would (files + reloads + the PowerDNS API), checks them with real
clients, offboards one and checks again. Prints PASS/FAIL per check; exit 1 if any failed."""
import base64, hashlib, imaplib, json, os, re, smtplib, subprocess, sys, time, urllib.request

E = os.environ
T, DOMAIN = E['SPIKE_DIR'], E['DOMAIN']
IMAP, SMTP, SUBM, DNS, API, HTTP = (int(E[k]) for k in ('IMAP', 'SMTP', 'SUBM', 'DNS', 'API', 'HTTP'))
failed = 0

def check(label, ok, detail=''):
    global failed
    failed += 0 if ok else 1
    print(f"{'PASS' if ok else 'FAIL'}  {label}" + (f"  [{detail}]" if detail else ''))

def password(slug): return base64.urlsafe_b64encode(hashlib.sha256(slug.encode()).digest()[:24]).decode()

DESA = {  # slug -> (name, kecamatan, mailbox quota)
    'sumberjaya': ('Desa Sumberjaya', 'Tambun Selatan', '2G'),
    'lambangjaya': ('Desa Lambangjaya', 'Tambun Selatan', '2G'),
    'cibarusah-kota': ('Desa Cibarusah Kota', 'Cibarusah', '10K'),
}
def addr(slug): return f'{slug}.operator@{DOMAIN}'

# ---- provisioning, as the sync would do it ---------------------------------------------------------
def ssha512(pw):  # what Node can compute with crypto: {SSHA512} = base64(sha512(pw + salt) + salt)
    salt = os.urandom(16)
    return '{SSHA512}' + base64.b64encode(hashlib.sha512(pw.encode() + salt).digest() + salt).decode()

def write_mail(slugs):
    with open(f'{T}/mail/users.tmp', 'w') as f:
        for s in slugs:
            f.write(f'{addr(s)}:{ssha512(password(s))}::::::userdb_quota_rule=*:storage={DESA[s][2]}\n')
    os.rename(f'{T}/mail/users.tmp', f'{T}/mail/users')  # atomic: Dovecot re-reads on mtime change
    etc = f'{T}/postfix/etc'
    open(f'{etc}/vmailbox', 'w').write(''.join(f'{addr(s)} OK\n' for s in slugs))
    open(f'{etc}/valias', 'w').write(''.join(f'{s}@{DOMAIN} {addr(s)}\n' for s in slugs))
    open(f'{etc}/senders', 'w').write(''.join(f'{addr(s)} {addr(s)}\n{s}@{DOMAIN} {addr(s)}\n' for s in slugs))
    t = time.time(); subprocess.run(['postfix', '-c', etc, 'reload'], check=True, capture_output=True)
    return time.time() - t

def pdns(method, path, body=None):
    req = urllib.request.Request(f'http://127.0.0.1:{API}/api/v1/servers/localhost{path}', method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={'X-API-Key': E['API_KEY'], 'Content-Type': 'application/json'})
    with urllib.request.urlopen(req) as r:
        raw = r.read(); return r.status, (json.loads(raw) if raw else None)

def rr(name, typ, *contents, change='REPLACE', ttl=300):
    return {'name': name, 'type': typ, 'ttl': ttl, 'changetype': change,
            'records': [{'content': c, 'disabled': False} for c in contents]}

def txt(s):  # TXT content for the API: quoted strings of at most 255 characters each
    return ' '.join('"%s"' % s[i:i + 255] for i in range(0, len(s), 255))

def write_site(slug):
    name, kec, _ = DESA[slug]
    os.makedirs(f'{T}/web/sites/{slug}', exist_ok=True)
    open(f'{T}/web/sites/{slug}/index.html', 'w').write(
        f'<!doctype html><html lang="id"><meta charset="utf-8"><title>{name}</title><h1>{name}</h1><p>Kecamatan {kec}</p></html>\n')

# ---- clients ----------------------------------------------------------------------------------------
def imap_login(user, pw):
    m = imaplib.IMAP4('127.0.0.1', IMAP)
    try: m.login(user, pw); return m, 'OK'
    except imaplib.IMAP4.error as e: return None, str(e)

def submit(user, pw, frm, to, subject):
    s = smtplib.SMTP('127.0.0.1', SUBM, timeout=10); s.ehlo('check')
    try:
        if user: s.login(user, pw)
        s.sendmail(frm, [to], f'From: {frm}\r\nTo: {to}\r\nSubject: {subject}\r\n\r\nSalam.\r\n')
        return 'sent'
    except (smtplib.SMTPException) as e: return f'{type(e).__name__}: {e}'
    finally: s.close()

def dig(name, typ='A', *extra):
    out = subprocess.run(['dig', f'@127.0.0.1', '-p', str(DNS), '+norec', *extra, name, typ], capture_output=True, text=True).stdout
    status = re.search(r'status: (\w+)', out).group(1)
    flags = re.search(r';; flags: ([^;]*);', out).group(1)
    answers = [l.split(None, 4)[4] for l in out.splitlines() if re.match(rf'^\S+\s+\d+\s+IN\s+{typ}\s', l)]
    return status, 'aa' in flags.split(), answers

def http(host, path='/'):
    req = urllib.request.Request(f'http://127.0.0.1:{HTTP}{path}', headers={'Host': host})
    try:
        with urllib.request.urlopen(req) as r: return r.status, r.read().decode()
    except urllib.error.HTTPError as e: return e.code, ''

# ---- provision three desa ---------------------------------------------------------------------------
slugs = list(DESA)
dt = write_mail(slugs); print(f'mail accounts written, postfix reload {dt:.2f} s')
dkim_key = f'{T}/dkim-desa2026.key'
subprocess.run(['openssl', 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', dkim_key], check=True, capture_output=True)
dkim_pub = base64.b64encode(subprocess.run(['openssl', 'pkey', '-in', dkim_key, '-pubout', '-outform', 'DER'], check=True, capture_output=True).stdout).decode()
Z = DOMAIN + '.'
st, _ = pdns('POST', '/zones', {'name': Z, 'kind': 'Native', 'soa_edit_api': 'INCREASE', 'rrsets': [
    rr(Z, 'SOA', f'ns1.{Z} hostmaster.{Z} 1 10800 3600 604800 300', ttl=3600), rr(Z, 'NS', f'ns1.{Z}', ttl=3600)]})
check('pdns API: create zone', st == 201, st)
st, _ = pdns('PATCH', f'/zones/{Z}', {'rrsets': [
    rr(f'ns1.{Z}', 'A', '127.0.0.1'), rr(f'mail.{Z}', 'A', '127.0.0.1'),
    rr(Z, 'MX', f'10 mail.{Z}'), rr(Z, 'TXT', txt('v=spf1 mx -all')),
    rr(f'_dmarc.{Z}', 'TXT', txt(f'v=DMARC1; p=quarantine; rua=mailto:postmaster@{DOMAIN}')),
    rr(f'desa2026._domainkey.{Z}', 'TXT', txt(f'v=DKIM1; k=rsa; p={dkim_pub}')),
    *[rr(f'{s}.{Z}', 'A', '127.0.0.1') for s in slugs]]})
check('pdns API: PATCH rrsets (hosts, MX, SPF, DMARC, DKIM)', st == 204, st)
for s in slugs: write_site(s)

# ---- mail ---------------------------------------------------------------------------------------------
A, B, C = 'sumberjaya', 'lambangjaya', 'cibarusah-kota'
m, r = imap_login(addr(A), password(A)); check('IMAP login with generated password', m is not None, r)
check('IMAP SELECT INBOX', m.select('INBOX')[0] == 'OK')
typ, data = m.select(f'"../{B}/Maildir"'); check("IMAP: another desa's mailbox cannot be selected", typ == 'NO', data[0].decode()[:60])
m.logout()
check('IMAP wrong password fails', imap_login(addr(A), 'salah')[0] is None)
check("IMAP with another desa's password fails", imap_login(addr(A), password(B))[0] is None)
check("IMAP unknown mailbox fails", imap_login(f'tidakada.operator@{DOMAIN}', password(A))[0] is None)
r = submit(addr(A), password(A), addr(A), addr(B), 'uji-submission'); check('SMTP AUTH + submission A -> B', r == 'sent', r)
r = submit(addr(A), password(A), f'{A}@{DOMAIN}', addr(B), 'uji-alias'); check('submission from own alias', r == 'sent', r)
r = submit(addr(A), password(A), addr(B), addr(B), 'palsu'); check("submission as another desa's address refused", 'not owned by user' in r, r[:90])
r = submit(addr(A), 'salah', addr(A), addr(B), 'x'); check('SMTP AUTH wrong password fails', '535' in r, r[:60])
r = submit(addr(A), password(B), addr(A), addr(B), 'x'); check("SMTP AUTH with another desa's password fails", '535' in r, r[:60])
r = submit(None, None, addr(A), addr(B), 'x'); check('submission without AUTH refused', 'Access denied' in r, r[:80])
mx = smtplib.SMTP('127.0.0.1', SMTP, timeout=10)
try: mx.sendmail('warga@example.org', [addr(B)], 'Subject: dari-luar\r\n\r\nx\r\n'); check('MX port: inbound mail to B accepted', True)
except smtplib.SMTPException as e: check('MX port: inbound mail to B accepted', False, e)
try: mx.sendmail('warga@example.org', ['x@example.org'], 'Subject: relay\r\n\r\nx\r\n'); check('MX port: open relay refused', False)
except smtplib.SMTPRecipientsRefused as e: check('MX port: open relay refused', True, str(e.recipients)[:80])
mx.quit()
time.sleep(1.0)
m, _ = imap_login(addr(B), password(B)); m.select('INBOX')
subjects = [m.fetch(n, '(BODY[HEADER.FIELDS (SUBJECT)])')[1][0][1].decode().strip() for n in m.search(None, 'ALL')[1][0].split()]
check("B's INBOX holds the submitted and inbound mail (LMTP delivery)", {'Subject: uji-submission', 'Subject: uji-alias', 'Subject: dari-luar'} <= set(subjects), subjects)
m.logout()
m, _ = imap_login(addr(C), password(C))
q = m.getquotaroot('INBOX'); check('IMAP GETQUOTAROOT reports the quota', 'STORAGE 0 10' in str(q[1]), q[1][1])
typ, data = m.append('INBOX', None, None, b'Subject: besar\r\n\r\n' + b'x' * 20000 + b'\r\n')
check('APPEND over the 10K quota refused', typ == 'NO' and b'OVERQUOTA' in data[0], data[0][:60])
m.logout()

# ---- DNS -----------------------------------------------------------------------------------------------
for s in slugs:
    st, aa, ans = dig(f'{s}.{DOMAIN}')
    check(f'dig {s}.{DOMAIN} A', st == 'NOERROR' and aa and ans == ['127.0.0.1'], f'{st} aa={aa} {ans}')
st, _, ans = dig(DOMAIN, 'MX'); check('MX published', ans == [f'10 mail.{Z}'], ans)
st, _, ans = dig(DOMAIN, 'TXT'); check('SPF published', ans == ['"v=spf1 mx -all"'], ans)
st, _, ans = dig(f'_dmarc.{DOMAIN}', 'TXT'); check('DMARC published', ans and ans[0].startswith('"v=DMARC1;'), ans)
st, _, ans = dig(f'desa2026._domainkey.{DOMAIN}', 'TXT')
joined = ''.join(re.findall(r'"([^"]*)"', ans[0])) if ans else ''
check('DKIM published (p= is the generated public key)', joined.endswith('p=' + dkim_pub), f'{len(joined)} chars')
st, _, _ = dig(f'tidakada.{DOMAIN}'); check('unknown host: NXDOMAIN', st == 'NXDOMAIN', st)

# RFC 2136 (what ExternalDNS and cert-manager use): a TSIG key imported through the API, allowed on the zone.
secret = base64.b64encode(os.urandom(32)).decode()
st, _ = pdns('POST', '/tsigkeys', {'name': 'desa-tsig', 'algorithm': 'hmac-sha256', 'key': secret}); check('pdns API: import TSIG key', st == 201, st)
st, _ = pdns('PUT', f'/zones/{Z}/metadata/TSIG-ALLOW-DNSUPDATE', {'metadata': ['desa-tsig']}); check('zone metadata TSIG-ALLOW-DNSUPDATE', st == 200, st)
st, _ = pdns('PUT', f'/zones/{Z}/metadata/ALLOW-DNSUPDATE-FROM', {'metadata': ['127.0.0.1/32']}); check('zone metadata ALLOW-DNSUPDATE-FROM', st == 200, st)
def nsupdate(cmds, key=secret):
    script = f'server 127.0.0.1 {DNS}\nzone {DOMAIN}\n{cmds}\nsend\n'
    return subprocess.run(['nsupdate', '-y', f'hmac-sha256:desa-tsig:{key}'], input=script, capture_output=True, text=True)
r = nsupdate(f'update add rfc2136-uji.{DOMAIN} 300 A 127.0.0.2'); check('nsupdate (TSIG) add', r.returncode == 0, r.stderr.strip())
check('record added by RFC 2136 answers', dig(f'rfc2136-uji.{DOMAIN}')[2] == ['127.0.0.2'])
r = nsupdate(f'update add palsu.{DOMAIN} 300 A 127.0.0.3', key=base64.b64encode(os.urandom(32)).decode())
check('nsupdate with a wrong TSIG secret refused', r.returncode != 0 and 'REFUSED' in (r.stdout + r.stderr), (r.stdout + r.stderr).strip()[-40:])
r = nsupdate(f'update delete rfc2136-uji.{DOMAIN} A'); check('nsupdate (TSIG) delete', r.returncode == 0 and dig(f'rfc2136-uji.{DOMAIN}')[0] == 'NXDOMAIN')

# ---- web -----------------------------------------------------------------------------------------------
for s in slugs:
    st, body = http(f'{s}.{DOMAIN}')
    check(f'HTTP Host {s}.{DOMAIN}: profile page', st == 200 and DESA[s][0] in body and f'Kecamatan {DESA[s][1]}' in body, st)
check('HTTP unknown Host: 404', http('example.org')[0] == 404)

# ---- offboard lambangjaya ------------------------------------------------------------------------------
t = time.time()
write_mail([s for s in slugs if s != B])
pdns('PATCH', f'/zones/{Z}', {'rrsets': [{'name': f'{B}.{Z}', 'type': 'A', 'changetype': 'DELETE'}]})
os.rename(f'{T}/web/sites/{B}', f'{T}/web/offboarded-{B}')  # data kept, not served
print(f'offboarded {B} in {time.time() - t:.2f} s')
check('after offboarding: IMAP login fails', imap_login(addr(B), password(B))[0] is None)
r = submit(addr(B), password(B), addr(B), addr(A), 'x'); check('after offboarding: SMTP AUTH fails', '535' in r, r[:50])
mx = smtplib.SMTP('127.0.0.1', SMTP, timeout=10)
try: mx.sendmail('warga@example.org', [addr(B)], 'Subject: x\r\n\r\nx\r\n'); check('after offboarding: MX rejects the address', False)
except smtplib.SMTPRecipientsRefused as e: check('after offboarding: MX rejects the address', True, str(e.recipients)[:90])
mx.quit()
check('after offboarding: mail data kept', os.path.isdir(f'{T}/mail/mail/{DOMAIN}/{B}.operator/Maildir'))
st, _, _ = dig(f'{B}.{DOMAIN}'); check('after offboarding: DNS NXDOMAIN', st == 'NXDOMAIN', st)
check('after offboarding: HTTP 404', http(f'{B}.{DOMAIN}')[0] == 404)
check('others unaffected', imap_login(addr(A), password(A))[0] is not None and dig(f'{A}.{DOMAIN}')[2] == ['127.0.0.1'] and http(f'{A}.{DOMAIN}')[0] == 200)

print(f'{failed} failed' if failed else 'all passed')
sys.exit(1 if failed else 0)
