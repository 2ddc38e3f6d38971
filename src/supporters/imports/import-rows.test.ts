import { describe, expect, it } from 'vitest';
import { readHead } from './import-batches.ts';
import { guessMapping, mappingSchema } from './import-mapping.ts';
import { interpretRow, parseImportDate } from './import-rows.ts';

describe('recognising columns', () => {
  it("maps Action Network's export headers", () => {
    const headers = ['uuid', 'first_name', 'last_name', 'email', 'zip_code', 'can2_phone', 'country', 'can2_subscription_status', 'can2_user_tags', 'created_at'];
    expect(guessMapping(headers)).toEqual({ givenName: 1, familyName: 2, email: 3, postcode: 4, phone: 5, country: 6, subscription: 7, tags: 8, createdAt: 9 });
  });

  it('maps common spreadsheet variants, whatever their case and spacing', () => {
    expect(guessMapping(['First Name', 'Surname', 'Email Address', 'Post Code', 'Phone Number', 'Tags'])).toEqual({
      givenName: 0,
      familyName: 1,
      email: 2,
      postcode: 3,
      phone: 4,
      tags: 5,
    });
    expect(guessMapping(['\uFEFFE-mail', 'Name', 'Postal code', 'Mobile'])).toEqual({ email: 0, fullName: 1, postcode: 2, phone: 3 });
    expect(guessMapping(['favourite colour'])).toEqual({});
  });

  it('reads the header and first rows, with a semicolon or tab delimiter too', () => {
    expect(readHead(Buffer.from('Email;First name\nada@example.org;Ada\n'))).toEqual({ delimiter: ';', headers: ['Email', 'First name'], sample: [['ada@example.org', 'Ada']] });
    expect(readHead(Buffer.from('email\tname\r\nbob@example.org\tBob\r\n'))!.delimiter).toBe('\t');
    expect(readHead(Buffer.from(''))).toBeUndefined();
  });

  it('checks a mapping: email is required and a column is used once', () => {
    const schema = mappingSchema(3);
    expect(schema.safeParse({ email: '0', givenName: '1', familyName: '' }).data).toEqual({ email: 0, givenName: 1 });
    expect(schema.safeParse({ givenName: '1' }).error!.issues[0]).toMatchObject({ path: ['email'], message: 'Choose the column that holds email addresses' });
    expect(schema.safeParse({ email: '0', phone: '0' }).error!.issues[0]).toMatchObject({ path: ['phone'], message: 'That column is already used for email address' });
    expect(schema.safeParse({ email: '7' }).error!.issues[0]).toMatchObject({ path: ['email'], message: 'Choose one of the columns in the file' });
  });
});

describe('checking rows', () => {
  const mapping = { email: 0, fullName: 1, postcode: 2, phone: 3, country: 4, subscription: 5, tags: 6, createdAt: 7 };
  const row = (cells: string[]) => interpretRow({ line: 9, cells, bytes: 0 }, mapping, new Date('2026-01-01T00:00:00Z'));

  it('tidies a good row', () => {
    expect(row(['Ada.Lovelace+x@GoogleMail.com', 'Ada Lovelace King', 'sw1a1aa', '020 7946 0000', 'United Kingdom', 'subscribed', 'nurse, Volunteer,nurse', '2023-04-01 10:00:00 UTC'])).toEqual({
      line: 9,
      row: {
        email: 'Ada.Lovelace+x@GoogleMail.com',
        canonicalEmail: 'adalovelace@gmail.com',
        givenName: 'Ada',
        familyName: 'Lovelace King',
        phone: '020 7946 0000',
        postcode: 'SW1A 1AA',
        ukPostcode: true,
        countryCode: 'GB',
        subscribed: true,
        tags: ['nurse', 'Volunteer'],
        createdAt: new Date('2023-04-01T10:00:00Z'),
      },
    });
  });

  it('says what is wrong with a bad row', () => {
    expect(row(['', 'A', '', '', '', '', '', ''])).toEqual({ line: 9, problem: 'No email address' });
    expect(row(['ada(at)example.org', 'A', '', '', '', '', '', ''])).toEqual({ line: 9, problem: '"ada(at)example.org" is not an email address' });
    expect(row(['a@example.org', 'A', 'XYZ 123', '', '', '', '', ''])).toEqual({ line: 9, problem: '"XYZ 123" is not a UK postcode' });
    expect(row(['a@example.org', 'A', '', 'call me', '', '', '', ''])).toEqual({ line: 9, problem: '"call me" is not a phone number' });
    expect(row(['a@example.org', 'A', '', '', '', 'maybe', '', ''])).toMatchObject({ problem: expect.stringContaining('Subscription status "maybe"') });
    expect(row(['a@example.org', 'A', '', '', '', '', '', '31/02/2024'])).toMatchObject({ problem: expect.stringContaining('is not a date') });
    expect(row(['a@example.org', 'A', '', '', '', '', '', '2027-01-01'])).toMatchObject({ problem: expect.stringContaining('in the future') });
  });

  it('takes unsubscribed, bouncing and spam complaints as no consent, and keeps foreign postcodes as given', () => {
    for (const status of ['unsubscribed', 'Bouncing', 'spam complaint']) expect(row(['a@example.org', '', '', '', '', status, '', ''])).toMatchObject({ row: { subscribed: false } });
    expect(row(['a@example.org', '', '10001', '', 'US', '', '', ''])).toMatchObject({ row: { postcode: '10001', ukPostcode: false, countryCode: 'US' } });
  });

  it('reads the dates exports write', () => {
    expect(parseImportDate('2024-03-01')).toEqual(new Date('2024-03-01T00:00:00Z'));
    expect(parseImportDate('2024-03-01T10:20:30+01:00')).toEqual(new Date('2024-03-01T09:20:30Z'));
    expect(parseImportDate('1/3/2024')).toEqual(new Date('2024-03-01T00:00:00Z'));
    expect(parseImportDate('2024-02-30')).toBeUndefined();
    expect(parseImportDate('yesterday')).toBeUndefined();
  });
});
