import { sql } from 'kysely';
import { writeSetting } from '../platform/index.ts';
import type { Tx } from './tables.ts';
import { DEMO_SETTING } from './demo-label.ts';
import { replaceHexes } from './import-hexjson.ts';
import { upsertMps } from './import-mps.ts';
import { upsertResults } from './import-results.ts';
import { compactPostcode } from './postcodes.ts';

/**
 * DEMO DATA, not an import: 28 real constituencies across England, Scotland, Wales and Northern
 * Ireland with their real names, regions, MPs (April 2026) and 2024 results (House of Commons
 * Library, Open Parliament Licence), typed in for the demo. The hex positions are our own small
 * layout (odd-r, north at the top), and the postcodes are plausible ones in each area, made up
 * for demo signers: they are not from the ONS Postcode Directory. Importing the official files
 * (README, "UK reference data") replaces all of it.
 */
interface DemoSeat {
  code: string;
  name: string;
  region: [code: string, name: string];
  country: string;
  type: string;
  result: [memberElected: string, text: string, firstParty: string, secondParty: string];
  electorate: number;
  valid: number;
  invalid: number;
  majority: number;
  votes: Record<string, number>;
  mp: [name: string, party: string, partyName: string, twfyUrl: string, since: string];
  hex: [q: number, r: number];
  centre: [latitude: number, longitude: number];
  postcodes: string[];
}

export const demoSeats: DemoSeat[] = [
  {
    code: 'E14001279', name: 'Hendon', region: ['E12000007', 'London'], country: 'England', type: 'Borough',
    result: ['David Pinto-Duschinsky', 'Lab gain from Con', 'Lab', 'Con'], electorate: 74865, valid: 41256, invalid: 190, majority: 15,
    votes: { Con: 15840, Lab: 15855, LD: 1966, RUK: 3038, Green: 2667, 'All other candidates': 1890 },
    mp: ['David Pinto-Duschinsky', 'Lab', 'Labour', 'https://www.theyworkforyou.com/mp/26632/david_pinto-duschinsky/hendon', '2024-07-04'],
    hex: [7, 1], centre: [51.59, -0.23], postcodes: ['NW4 4BT', 'NW4 3FP', 'NW7 2HX', 'NW9 6BA'],
  },
  {
    // The seat of the example postcode every form shows (SW1A 1AA), so it works in the demo too.
    code: 'E14001172', name: 'Cities of London and Westminster', region: ['E12000007', 'London'], country: 'England', type: 'Borough',
    result: ['Rachel Blake', 'Lab gain from Con', 'Lab', 'Con'], electorate: 73369, valid: 39215, invalid: 202, majority: 2708,
    votes: { Con: 12594, Lab: 15302, LD: 4335, RUK: 2752, Green: 2844, 'All other candidates': 1388 },
    mp: ['Rachel Blake', 'Lab', 'Labour (Co-op)', 'https://www.theyworkforyou.com/mp/26546/rachel_blake/cities_of_london_and_westminster', '2024-07-04'],
    hex: [7, -1], centre: [51.5, -0.14], postcodes: ['SW1A 1AA', 'SW1A 0AA', 'SW1A 2AA', 'EC2V 7HH'],
  },
  {
    code: 'E14001305', name: 'Islington North', region: ['E12000007', 'London'], country: 'England', type: 'Borough',
    result: ['Jeremy Corbyn', 'Ind gain from Lab', 'Ind', 'Lab'], electorate: 72852, valid: 49006, invalid: 116, majority: 7247,
    votes: { Con: 1950, Lab: 16873, LD: 1661, RUK: 1710, Green: 2660, 'All other candidates': 24152, 'Of which other winner': 24120 },
    mp: ['Jeremy Corbyn', 'Ind', 'Independent', 'https://www.theyworkforyou.com/mp/10133/jeremy_corbyn/islington_north', '1983-06-09'],
    hex: [8, 0], centre: [51.56, -0.12], postcodes: ['N7 6PA', 'N19 5JT', 'N4 3LR'],
  },
  {
    code: 'E14001290', name: 'Holborn and St Pancras', region: ['E12000007', 'London'], country: 'England', type: 'Borough',
    result: ['Keir Starmer', 'Lab hold', 'Lab', 'Ind'], electorate: 71300, valid: 38602, invalid: 223, majority: 11572,
    votes: { Con: 2776, Lab: 18884, LD: 2236, RUK: 2371, Green: 4030, 'All other candidates': 8305 },
    mp: ['Sir Keir Starmer', 'Lab', 'Labour', 'https://www.theyworkforyou.com/mp/25353/keir_starmer/holborn_and_st_pancras', '2015-05-07'],
    hex: [7, 0], centre: [51.535, -0.13], postcodes: ['WC1H 9JE', 'NW1 2DB', 'WC1X 8QF', 'NW5 1TL'],
  },
  {
    code: 'E14001086', name: 'Bethnal Green and Stepney', region: ['E12000007', 'London'], country: 'England', type: 'Borough',
    result: ['Rushanara Ali', 'Lab hold', 'Lab', 'Ind'], electorate: 81439, valid: 46647, invalid: 320, majority: 1689,
    votes: { Con: 1920, Lab: 15896, LD: 4777, RUK: 1964, Green: 6391, 'All other candidates': 15699 },
    mp: ['Rushanara Ali', 'Lab', 'Labour', 'https://www.theyworkforyou.com/mp/24958/rushanara_ali/bethnal_green_and_stepney', '2010-05-06'],
    hex: [8, -1], centre: [51.525, -0.055], postcodes: ['E2 0QL', 'E2 9PB', 'E1 4NS', 'E1 2AD'],
  },
  {
    code: 'E14001238', name: 'Finchley and Golders Green', region: ['E12000007', 'London'], country: 'England', type: 'Borough',
    result: ['Sarah Sackman', 'Lab gain from Con', 'Lab', 'Con'], electorate: 77500, valid: 49289, invalid: 202, majority: 4581,
    votes: { Con: 17276, Lab: 21857, LD: 3375, RUK: 2598, Green: 3107, 'All other candidates': 1076 },
    mp: ['Sarah Sackman', 'Lab', 'Labour', 'https://www.theyworkforyou.com/mp/26438/sarah_sackman/finchley_and_golders_green', '2024-07-04'],
    hex: [8, 1], centre: [51.59, -0.19], postcodes: ['N3 1DH', 'NW11 7TD', 'N2 8HB', 'N12 8NP'],
  },
  {
    code: 'E14001352', name: 'Manchester Central', region: ['E12000002', 'North West'], country: 'England', type: 'Borough',
    result: ['Lucy Powell', 'Lab hold', 'Lab', 'Green'], electorate: 85204, valid: 39725, invalid: 181, majority: 13797,
    votes: { Con: 2823, Lab: 20184, LD: 3051, RUK: 4760, Green: 6387, 'All other candidates': 2520 },
    mp: ['Lucy Powell', 'Lab', 'Labour (Co-op)', 'https://www.theyworkforyou.com/mp/25165/lucy_powell/manchester_central', '2012-11-15'],
    hex: [6, 5], centre: [53.48, -2.24], postcodes: ['M1 3BE', 'M4 5JD', 'M15 4PR', 'M3 4LZ'],
  },
  {
    code: 'E14001353', name: 'Manchester Rusholme', region: ['E12000002', 'North West'], country: 'England', type: 'Borough',
    result: ['Afzal Khan', 'Lab hold', 'Lab', 'Green'], electorate: 72608, valid: 29033, invalid: 193, majority: 8235,
    votes: { Con: 1678, Lab: 15054, RUK: 1313, Green: 6819, 'All other candidates': 4169 },
    mp: ['Afzal Khan', 'Lab', 'Labour', 'https://www.theyworkforyou.com/mp/25662/afzal_khan/manchester_rusholme', '2017-06-08'],
    hex: [7, 5], centre: [53.455, -2.22], postcodes: ['M14 5RB', 'M13 9PL', 'M14 7EH'],
  },
  {
    code: 'E14001354', name: 'Manchester Withington', region: ['E12000002', 'North West'], country: 'England', type: 'Borough',
    result: ['Jeff Smith', 'Lab hold', 'Lab', 'Green'], electorate: 70555, valid: 41731, invalid: 240, majority: 13982,
    votes: { Con: 2280, Lab: 22066, LD: 5412, RUK: 1961, Green: 8084, 'All other candidates': 1928 },
    mp: ['Jeff Smith', 'Lab', 'Labour', 'https://www.theyworkforyou.com/mp/25366/jeff_smith/manchester_withington', '2015-05-07'],
    hex: [6, 4], centre: [53.43, -2.23], postcodes: ['M20 6RN', 'M20 2LR', 'M21 9HP'],
  },
  {
    code: 'E14001103', name: 'Blackley and Middleton South', region: ['E12000002', 'North West'], country: 'England', type: 'Borough',
    result: ['Graham Stringer', 'Lab hold', 'Lab', 'RUK'], electorate: 72303, valid: 31340, invalid: 149, majority: 10250,
    votes: { Con: 3073, Lab: 16864, LD: 1592, RUK: 6614, Green: 3197 },
    mp: ['Graham Stringer', 'Lab', 'Labour', 'https://www.theyworkforyou.com/mp/10576/graham_stringer/blackley_and_middleton_south', '1997-05-01'],
    hex: [6, 6], centre: [53.52, -2.21], postcodes: ['M9 8BQ', 'M24 1RU', 'M9 4DX'],
  },
  {
    code: 'E14001429', name: 'Poole', region: ['E12000009', 'South West'], country: 'England', type: 'Borough',
    result: ['Neil Duncan-Jordan', 'Lab gain from Con', 'Lab', 'Con'], electorate: 72509, valid: 44495, invalid: 148, majority: 18,
    votes: { Con: 14150, Lab: 14168, LD: 5507, RUK: 7429, Green: 2218, 'All other candidates': 1023 },
    mp: ['Neil Duncan-Jordan', 'Lab', 'Labour', 'https://www.theyworkforyou.com/mp/26633/neil_duncan-jordan/poole', '2024-07-04'],
    hex: [5, -2], centre: [50.72, -1.98], postcodes: ['BH15 1SZ', 'BH14 8LW', 'BH12 1BQ'],
  },
  {
    code: 'E14001077', name: 'Basildon and Billericay', region: ['E12000006', 'East of England'], country: 'England', type: 'Borough',
    result: ['Richard Holden', 'Con hold', 'Con', 'Lab'], electorate: 76873, valid: 42124, invalid: 176, majority: 20,
    votes: { Con: 12905, Lab: 12885, LD: 2292, RUK: 11354, Green: 2123, 'All other candidates': 565 },
    mp: ['Mr Richard Holden', 'Con', 'Conservative', 'https://www.theyworkforyou.com/mp/25893/richard_holden/basildon_and_billericay', '2019-12-12'],
    hex: [9, 1], centre: [51.58, 0.45], postcodes: ['CM12 9BP', 'CM11 1AA', 'SS14 1EE'],
  },
  {
    code: 'E14001131', name: 'Bristol Central', region: ['E12000009', 'South West'], country: 'England', type: 'Borough',
    result: ['Carla Denyer', 'Green gain from Lab', 'Green', 'Lab'], electorate: 62735, valid: 43365, invalid: 165, majority: 10407,
    votes: { Con: 1998, Lab: 14132, LD: 1162, RUK: 1338, Green: 24539, 'All other candidates': 196 },
    mp: ['Carla Denyer', 'Green', 'Green Party', 'https://www.theyworkforyou.com/mp/26379/carla_denyer/bristol_central', '2024-07-04'],
    hex: [5, 0], centre: [51.455, -2.59], postcodes: ['BS1 5TR', 'BS8 1TH', 'BS2 8QY'],
  },
  {
    code: 'E14001130', name: 'Brighton Pavilion', region: ['E12000008', 'South East'], country: 'England', type: 'Borough',
    result: ['Siân Berry', 'Green hold', 'Green', 'Lab'], electorate: 74786, valid: 52363, invalid: 209, majority: 14290,
    votes: { Con: 3975, Lab: 14519, LD: 1604, RUK: 2836, Green: 28809, 'All other candidates': 620 },
    mp: ['Siân Berry', 'Green', 'Green Party', 'https://www.theyworkforyou.com/mp/25752/si%C3%A2n_berry/brighton_pavilion', '2024-07-04'],
    hex: [8, -2], centre: [50.83, -0.14], postcodes: ['BN1 1UG', 'BN1 4GH', 'BN1 6SB'],
  },
  {
    code: 'E14001174', name: 'Clacton', region: ['E12000006', 'East of England'], country: 'England', type: 'County',
    result: ['Nigel Farage', 'RUK gain from Con', 'RUK', 'Con'], electorate: 78245, valid: 45958, invalid: 111, majority: 8405,
    votes: { Con: 12820, Lab: 7448, LD: 2016, RUK: 21225, Green: 1935, 'All other candidates': 514 },
    mp: ['Nigel Farage', 'RUK', 'Reform UK', 'https://www.theyworkforyou.com/mp/26352/nigel_farage/clacton', '2024-07-04'],
    hex: [10, 2], centre: [51.79, 1.15], postcodes: ['CO15 1SE', 'CO15 3TE', 'CO16 9AB'],
  },
  {
    code: 'E14001096', name: 'Birmingham Ladywood', region: ['E12000005', 'West Midlands'], country: 'England', type: 'Borough',
    result: ['Shabana Mahmood', 'Lab hold', 'Lab', 'Ind'], electorate: 83693, valid: 36579, invalid: 203, majority: 3421,
    votes: { Con: 2218, Lab: 15558, LD: 1711, RUK: 1477, Green: 3478, 'All other candidates': 12137 },
    mp: ['Shabana Mahmood', 'Lab', 'Labour', 'https://www.theyworkforyou.com/mp/24788/shabana_mahmood/birmingham_ladywood', '2010-05-06'],
    hex: [6, 2], centre: [52.48, -1.91], postcodes: ['B1 1BB', 'B16 8SU', 'B18 7HU'],
  },
  {
    code: 'E14001377', name: 'Newcastle upon Tyne Central and West', region: ['E12000001', 'North East'], country: 'England', type: 'Borough',
    result: ['Chi Onwurah', 'Lab hold', 'Lab', 'RUK'], electorate: 76822, valid: 41355, invalid: 167, majority: 11060,
    votes: { Con: 4228, Lab: 18875, LD: 1946, RUK: 7815, Green: 3228, 'All other candidates': 5263 },
    mp: ['Dame Chi Onwurah', 'Lab', 'Labour', 'https://www.theyworkforyou.com/mp/24807/chi_onwurah/newcastle_upon_tyne_central_and_west', '2010-05-06'],
    hex: [7, 9], centre: [54.98, -1.65], postcodes: ['NE1 7RU', 'NE4 5SP', 'NE5 3AE', 'NE15 7PN'],
  },
  {
    code: 'E14001444', name: 'Richmond and Northallerton', region: ['E12000003', 'Yorkshire and The Humber'], country: 'England', type: 'County',
    result: ['Rishi Sunak', 'Con hold', 'Con', 'Lab'], electorate: 73886, valid: 48526, invalid: 99, majority: 12185,
    votes: { Con: 23059, Lab: 10874, LD: 4322, RUK: 7142, Green: 2058, 'All other candidates': 1071 },
    mp: ['Rishi Sunak', 'Con', 'Conservative', 'https://www.theyworkforyou.com/mp/25428/rishi_sunak/richmond_and_northallerton', '2015-05-07'],
    hex: [7, 8], centre: [54.35, -1.6], postcodes: ['DL10 4QW', 'DL7 8AD', 'DL8 5AH'],
  },
  {
    code: 'S14000061', name: 'Aberdeen South', region: ['S92000003', 'Scotland'], country: 'Scotland', type: 'Burgh',
    result: ['Stephen Flynn', 'SNP hold', 'SNP', 'Lab'], electorate: 77328, valid: 46345, invalid: 178, majority: 3758,
    votes: { Con: 11300, Lab: 11455, LD: 2921, RUK: 3199, Green: 1609, SNP: 15213, 'All other candidates': 648 },
    mp: ['Stephen Flynn', 'SNP', 'Scottish National Party', 'https://www.theyworkforyou.com/mp/25867/stephen_flynn/aberdeen_south', '2019-12-12'],
    hex: [7, 12], centre: [57.13, -2.12], postcodes: ['AB10 1AB', 'AB10 6RN', 'AB11 7SP', 'AB15 8UT'],
  },
  {
    code: 'S14000060', name: 'Aberdeen North', region: ['S92000003', 'Scotland'], country: 'Scotland', type: 'Burgh',
    result: ['Kirsty Blackman', 'SNP hold', 'SNP', 'Lab'], electorate: 75925, valid: 42095, invalid: 115, majority: 1760,
    votes: { Con: 5881, Lab: 12773, LD: 2583, RUK: 3781, Green: 1275, SNP: 14533, 'All other candidates': 1269 },
    mp: ['Kirsty Blackman', 'SNP', 'Scottish National Party', 'https://www.theyworkforyou.com/mp/25314/kirsty_blackman/aberdeen_north', '2015-05-07'],
    hex: [7, 13], centre: [57.17, -2.12], postcodes: ['AB24 3FX', 'AB25 1XQ', 'AB16 5AA'],
  },
  {
    code: 'S14000080', name: 'Edinburgh South', region: ['S92000003', 'Scotland'], country: 'Scotland', type: 'Burgh',
    result: ['Ian Murray', 'Lab hold', 'Lab', 'SNP'], electorate: 70838, valid: 46826, invalid: 125, majority: 17251,
    votes: { Con: 4001, Lab: 24976, LD: 2746, RUK: 1845, Green: 4270, SNP: 7725, 'All other candidates': 1263 },
    mp: ['Ian Murray', 'Lab', 'Labour', 'https://www.theyworkforyou.com/mp/24872/ian_murray/edinburgh_south', '2010-05-06'],
    hex: [5, 11], centre: [55.92, -3.19], postcodes: ['EH9 1NZ', 'EH10 5HD', 'EH16 5LY'],
  },
  {
    code: 'S14000051', name: 'Orkney and Shetland', region: ['S92000003', 'Scotland'], country: 'Scotland', type: 'County',
    result: ['Alistair Carmichael', 'LD hold', 'LD', 'SNP'], electorate: 34236, valid: 20688, invalid: 106, majority: 7807,
    votes: { Con: 586, Lab: 1493, LD: 11392, RUK: 1586, Green: 2046, SNP: 3585 },
    mp: ['Mr Alistair Carmichael', 'LD', 'Liberal Democrat', 'https://www.theyworkforyou.com/mp/10785/alistair_carmichael/orkney_and_shetland', '2001-06-07'],
    hex: [6, 16], centre: [58.98, -2.96], postcodes: ['KW15 1NY', 'ZE1 0LN', 'KW15 1DH'],
  },
  {
    code: 'W07000089', name: 'Cardiff East', region: ['W92000004', 'Wales'], country: 'Wales', type: 'Borough',
    result: ['Jo Stevens', 'Lab hold', 'Lab', 'LD'], electorate: 72876, valid: 39123, invalid: 172, majority: 9097,
    votes: { Con: 3913, Lab: 15833, LD: 6736, RUK: 4980, Green: 3916, PC: 3550, 'All other candidates': 195 },
    mp: ['Jo Stevens', 'Lab', 'Labour', 'https://www.theyworkforyou.com/mp/25304/jo_stevens/cardiff_east', '2015-05-07'],
    hex: [4, 0], centre: [51.5, -3.14], postcodes: ['CF24 0BR', 'CF23 5DY', 'CF3 0LD'],
  },
  {
    code: 'W07000096', name: 'Dwyfor Meirionnydd', region: ['W92000004', 'Wales'], country: 'Wales', type: 'County',
    result: ['Liz Saville Roberts', 'PC hold', 'PC', 'Lab'], electorate: 73040, valid: 40395, invalid: 215, majority: 15876,
    votes: { Con: 4712, Lab: 5912, LD: 1381, RUK: 4857, Green: 1448, PC: 21788, 'All other candidates': 297 },
    mp: ['Liz Saville Roberts', 'PC', 'Plaid Cymru', 'https://www.theyworkforyou.com/mp/25302/liz_saville-roberts/dwyfor_meirionnydd', '2015-05-07'],
    hex: [4, 3], centre: [52.85, -4.0], postcodes: ['LL40 1AS', 'LL53 5YA', 'LL49 9AA'],
  },
  {
    code: 'W07000112', name: 'Ynys Môn', region: ['W92000004', 'Wales'], country: 'Wales', type: 'County',
    result: ['Llinos Medi', 'PC gain from Con', 'PC', 'Con'], electorate: 53141, valid: 32628, invalid: 79, majority: 637,
    votes: { Con: 9953, Lab: 7619, LD: 439, RUK: 3223, Green: 604, PC: 10590, 'All other candidates': 200 },
    mp: ['Llinos Medi', 'PC', 'Plaid Cymru', 'https://www.theyworkforyou.com/mp/26454/llinos_medi/ynys_mon', '2024-07-04'],
    hex: [3, 4], centre: [53.28, -4.33], postcodes: ['LL77 7JA', 'LL65 1AB', 'LL58 8AF'],
  },
  {
    code: 'N05000001', name: 'Belfast East', region: ['N92000002', 'Northern Ireland'], country: 'Northern Ireland', type: 'Borough',
    result: ['Gavin Robinson', 'DUP hold', 'DUP', 'APNI'], electorate: 72917, valid: 42706, invalid: 184, majority: 2676,
    votes: { Green: 1077, DUP: 19894, SDLP: 619, UUP: 1818, APNI: 17218, 'All other candidates': 2080 },
    mp: ['Gavin Robinson', 'DUP', 'Democratic Unionist Party', 'https://www.theyworkforyou.com/mp/25280/gavin_robinson/belfast_east', '2015-05-07'],
    hex: [3, 9], centre: [54.6, -5.88], postcodes: ['BT4 3SH', 'BT5 4GT', 'BT6 8DL'],
  },
  {
    code: 'N05000003', name: 'Belfast South and Mid Down', region: ['N92000002', 'Northern Ireland'], country: 'Northern Ireland', type: 'Borough',
    result: ['Claire Hanna', 'SDLP hold', 'SDLP', 'APNI'], electorate: 74749, valid: 43491, invalid: 266, majority: 12506,
    votes: { Green: 1577, DUP: 6859, SDLP: 21345, UUP: 2653, APNI: 8839, 'All other candidates': 2218 },
    mp: ['Claire Hanna', 'SDLP', 'Social Democratic & Labour Party', 'https://www.theyworkforyou.com/mp/25447/claire_hanna/belfast_south_and_mid_down', '2019-12-12'],
    hex: [2, 9], centre: [54.57, -5.93], postcodes: ['BT7 1NN', 'BT9 5AB', 'BT8 6WW'],
  },
  {
    code: 'N05000008', name: 'Foyle', region: ['N92000002', 'Northern Ireland'], country: 'Northern Ireland', type: 'County',
    result: ['Colum Eastwood', 'SDLP hold', 'SDLP', 'SF'], electorate: 73496, valid: 38358, invalid: 310, majority: 4166,
    votes: { DUP: 3915, SF: 11481, SDLP: 15647, UUP: 1422, APNI: 1268, 'All other candidates': 4625 },
    mp: ['Colum Eastwood', 'SDLP', 'Social Democratic & Labour Party', 'https://www.theyworkforyou.com/mp/25130/colum_eastwood/foyle', '2019-12-12'],
    hex: [1, 10], centre: [55.0, -7.32], postcodes: ['BT48 6DQ', 'BT47 6AA', 'BT48 7NN'],
  },
];

interface DemoPostcode {
  postcode: string;
  country: string | null;
  region: string | null;
  constituency: string | null;
  latitude: number | null;
  longitude: number | null;
  terminatedOn: string | null;
}

/** Demo postcodes that show the lookup's refusals: one terminated, one outside the UK. */
const demoProblemPostcodes: DemoPostcode[] = [
  { postcode: 'AB10 1AA', country: 'S92000003', region: null, constituency: 'S14000061', latitude: 57.148232, longitude: -2.096648, terminatedOn: '2016-10-01' },
  { postcode: 'JE2 4WD', country: 'L93000001', region: null, constituency: null, latitude: null, longitude: null, terminatedOn: null },
];

const countryCodes: Record<string, string> = { E: 'E92000001', S: 'S92000003', W: 'W92000004', N: 'N92000002' };

export interface PoliticsDemo {
  loaded: boolean;
  constituencies: number;
  postcodes: number;
}

/** Loads the demo constituencies, MPs, hexes and postcodes, unless constituencies exist already. */
export async function loadPoliticsDemo(tx: Tx): Promise<PoliticsDemo> {
  const existing = await sql<{ n: number }>`select count(*)::int as n from constituencies`.execute(tx);
  if ((existing.rows[0]?.n ?? 0) > 0) return { loaded: false, constituencies: 0, postcodes: 0 };

  await upsertResults(
    tx,
    demoSeats.map((s) => ({
      code: s.code,
      name: s.name,
      regionCode: s.region[0],
      regionName: s.region[1],
      countryName: s.country,
      type: s.type,
      memberName: s.result[0],
      result: s.result[1],
      firstParty: s.result[2],
      secondParty: s.result[3],
      electorate: s.electorate,
      validVotes: s.valid,
      invalidVotes: s.invalid,
      majority: s.majority,
      votesByParty: s.votes,
    })),
  );
  await upsertMps(
    tx,
    demoSeats.map((s) => ({
      constituencyCode: s.code,
      constituencyName: s.name,
      name: s.mp[0],
      party: s.mp[1],
      partyName: s.mp[2],
      partyColour: null,
      twfyId: /\/mp\/(\d+)\//.exec(s.mp[3])?.[1] ?? null,
      twfyUrl: s.mp[3],
      parliamentId: null,
      startDate: s.mp[4],
    })),
  );
  await replaceHexes(
    tx,
    'odd-r',
    demoSeats.map((s) => ({ code: s.code, name: s.name, q: s.hex[0], r: s.hex[1], region: s.region[0], colour: null })),
  );

  const around = (value: number, offset: number) => Math.round((value + offset) * 1e6) / 1e6;
  const postcodes: DemoPostcode[] = [
    ...demoSeats.flatMap((s) =>
      s.postcodes.map((postcode, i) => ({
        postcode,
        country: countryCodes[s.code[0]!] ?? null,
        region: s.code.startsWith('E') ? s.region[0] : null,
        constituency: s.code,
        // Spread a little around the constituency's centre, so points on a map do not all coincide.
        latitude: around(s.centre[0], (i - 1) * 0.004),
        longitude: around(s.centre[1], i % 2 ? 0.005 : -0.005),
        terminatedOn: null,
      })),
    ),
    ...demoProblemPostcodes,
  ];
  await tx
    .insertInto('postcodes')
    .values(
      postcodes.map((p) => ({
        compact: compactPostcode(p.postcode),
        postcode: p.postcode,
        country_code: p.country,
        region_code: p.region,
        constituency_code: p.constituency,
        latitude: p.latitude,
        longitude: p.longitude,
        introduced_on: null,
        terminated_on: p.terminatedOn,
      })),
    )
    .onConflict((oc) => oc.column('compact').doNothing())
    .execute();
  await writeSetting(tx, DEMO_SETTING, new Date().toISOString());
  return { loaded: true, constituencies: demoSeats.length, postcodes: postcodes.length };
}
