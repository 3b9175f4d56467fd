// secureFilename: a table of hostile and ordinary names → the one safe name expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secureFilename } from '../../src/files/secure-filename.js';

const TABLE: [name: string, input: string, expected: string][] = [
  ['plain name', 'report.pdf', 'report.pdf'],
  ['spaces become underscores', 'My cool movie.mov', 'My_cool_movie.mov'],
  ['traversal with slashes', '../../etc/passwd', 'etc_passwd'],
  ['traversal with backslashes', '..\\..\\windows\\win.ini', 'windows_win.ini'],
  ['encoded traversal stays inert text', '..%2f..%2fetc%2fpasswd', '2f..2fetc2fpasswd'],
  ['absolute path', '/etc/shadow', 'etc_shadow'],
  ['windows absolute path', 'C:\\Users\\me\\a.txt', 'C_Users_me_a.txt'],
  ['NUL byte truncation trick', 'shell.php\0.png', 'shell.php.png'],
  ['control characters are dropped', 'a\r\nb\tc\x07.txt', 'abc.txt'],
  ['leading dots (dotfile)', '.htaccess', 'htaccess'],
  ['only dots', '..', 'file'],
  ['empty', '', 'file'],
  ['only slashes', '///', 'file'],
  ['accents are folded', 'Résumé.pdf', 'Resume.pdf'],
  ['full-width traversal is folded then removed', '．．／．．／etc', 'etc'],
  ['full-width device name', 'ＣＯＮ.txt', '_CON.txt'],
  ['non-ASCII stem keeps the extension', '文件.pdf', 'file.pdf'],
  ['all non-ASCII', '文件', 'file'],
  ['right-to-left override dropped', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
  ['emoji dropped', 'cat 😺.png', 'cat_.png'],
  ['windows device', 'CON', '_CON'],
  ['windows device with extension', 'nul.tar.gz', '_nul.tar.gz'],
  ['COM port', 'com1.txt', '_com1.txt'],
  ['superscript digit folds to a COM port', 'COM¹.txt', '_COM1.txt'],
  ['not a device', 'console.log', 'console.log'],
  ['trailing dot (Windows drops it)', 'notes.txt.', 'notes.txt'],
  ['quotes and shell characters', '"a;b|c`d$e".txt', 'abcde.txt'],
  ['HTML in a name', '<img src=x onerror=alert(1)>.png', 'img_srcx_onerroralert1.png'],
];

for (const [name, input, expected] of TABLE) {
  test(`secureFilename: ${name}`, () => {
    assert.equal(secureFilename(input), expected, JSON.stringify(input));
  });
}

test('secureFilename: long names are cut to maxLength and keep their extension', () => {
  const out = secureFilename(`${'a'.repeat(300)}.jpeg`);
  assert.equal(out.length, 128);
  assert.ok(out.endsWith('.jpeg'));
  const short = secureFilename(`${'b'.repeat(50)}.png`, { maxLength: 20 });
  assert.equal(short, `${'b'.repeat(16)}.png`);
});

test('secureFilename: cutting that exposes a device name is caught', () => {
  const out = secureFilename(`COM1${'_'.repeat(150)}x.txt`);
  assert.equal(out, '_COM1.txt');
});

test('secureFilename: a custom fallback, and a fallback that is not safe is refused', () => {
  assert.equal(secureFilename('..', { fallback: 'upload' }), 'upload');
  assert.equal(secureFilename('文件.png', { fallback: 'upload' }), 'upload.png');
  assert.throws(() => secureFilename('x', { fallback: '../evil' }), TypeError);
  assert.throws(() => secureFilename('x', { maxLength: 4 }), TypeError);
});
