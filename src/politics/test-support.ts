import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';

/**
 * Small files in the official formats, written by the tests themselves (the real downloads are
 * never copied into the project). Used by the politics tests only.
 */

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-politics-'));

export function writeFixture(name: string, text: string): string {
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  return file;
}

/** A stream to give importers as `out`: collects what they report (rejected rows, one-line failures). */
export function captureOutput(): { out: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { out: Object.assign(stream, { isTTY: false }) as unknown as NodeJS.WriteStream, text: () => text };
}

/** The 52 standard ONSPD columns, in the published order. */
export const onspdHeader =
  'pcd7,pcd8,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl,statsward,oa01,casward,npark,lsoa01,msoa01,ur01ind,oac01,oa11,lsoa11,msoa11,wz11,sicbl,bua11,ru11ind,oac11,lat,long,lep1,lep2,pfa,imd,calncv,icb,oa21,lsoa21,msoa21'.split(',');

export interface PostcodeFixture {
  pcds: string;
  dointr?: string;
  doterm?: string;
  pcon?: string;
  ctry?: string;
  rgn?: string;
  lat?: string;
  long?: string;
}

/** One ONSPD row: the columns we read as given, the others filled as the directory fills them. */
export function onspdRow(p: PostcodeFixture, header: string[] = onspdHeader): string {
  const [outward = '', inward = ''] = p.pcds.split(' ');
  const values: Record<string, string> = {
    pcd7: (outward + ' '.repeat(Math.max(0, 4 - outward.length)) + inward).slice(0, 7),
    pcd8: `${outward}${' '.repeat(Math.max(1, 5 - outward.length))}${inward}`,
    pcd: (outward + ' '.repeat(Math.max(0, 4 - outward.length)) + inward).slice(0, 7),
    pcds: p.pcds,
    dointr: p.dointr ?? '198001',
    doterm: p.doterm ?? '',
    pcon: p.pcon ?? 'S14000061',
    ctry: p.ctry ?? 'S92000003',
    rgn: p.rgn ?? 'S99999999',
    lat: p.lat ?? '57.149606',
    long: p.long ?? '-2.096916',
    usertype: '0',
    oseast1m: '394181',
    osnrth1m: '0806455',
  };
  return header.map((name) => values[name] ?? 'S99999999').join(',');
}

export function onspdFile(name: string, rows: string[], header: string[] = onspdHeader): string {
  return writeFixture(name, [header.join(','), ...rows].join('\n') + '\n');
}

/** House of Commons Library results by constituency (CBP-10009), as published. */
export const resultsHeader =
  'ONS ID,ONS region ID,Constituency name,Region name,Country name,Constituency type,Member first name,Member surname,Member gender,Result,First party,Second party,Electorate,Valid votes,Invalid votes,Majority,Con,Lab,LD,RUK,Green,SNP,PC,DUP,SF,SDLP,UUP,APNI,All other candidates,Of which other winner';

/** Numbers over 999 quoted with thousands separators, as the Library publishes them. */
export function published(n: number | string): string {
  if (typeof n === 'string') return n;
  return n > 999 ? `"${n.toLocaleString('en-GB')}"` : String(n);
}

export interface ResultFixture {
  code: string;
  name: string;
  region?: [string, string];
  country?: string;
  member?: [string, string];
  result: string;
  first: string;
  second: string;
  electorate: number | string;
  valid: number | string;
  invalid: number | string;
  majority: number | string;
  votes: Partial<Record<'Con' | 'Lab' | 'LD' | 'RUK' | 'Green' | 'SNP' | 'PC' | 'DUP' | 'SF' | 'SDLP' | 'UUP' | 'APNI' | 'All other candidates' | 'Of which other winner', number | string>>;
}

const partyColumns = ['Con', 'Lab', 'LD', 'RUK', 'Green', 'SNP', 'PC', 'DUP', 'SF', 'SDLP', 'UUP', 'APNI', 'All other candidates', 'Of which other winner'] as const;

export function resultsRow(r: ResultFixture): string {
  const [regionCode, regionName] = r.region ?? ['E12000007', 'London'];
  const [first, surname] = r.member ?? ['Alex', 'Example'];
  return [
    r.code,
    regionCode,
    r.name.includes(',') ? `"${r.name}"` : r.name,
    regionName,
    r.country ?? 'England',
    'Borough',
    first,
    surname,
    'Female',
    r.result,
    r.first,
    r.second,
    published(r.electorate),
    published(r.valid),
    published(r.invalid),
    published(r.majority),
    ...partyColumns.map((p) => published(r.votes[p] ?? 0)),
  ].join(',');
}

export function resultsFile(name: string, rows: string[]): string {
  return writeFixture(name, [resultsHeader, ...rows].join('\n') + '\n');
}
