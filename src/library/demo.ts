import { regionNames } from '../politics/index.ts';
import type { Handle } from '../platform/index.ts';
import { addLink } from './save-link.ts';
import { tagsFrom } from './link-form.ts';

/** Publications, each with a made-up address on a reserved domain (the demo has no network, and no link should land on a real site's unrelated page). */
const SOURCES = [
  { name: 'BBC News', host: 'bbc-news.example' },
  { name: 'The Guardian', host: 'guardian.example' },
  { name: 'Health Service Journal', host: 'hsj.example' },
  { name: 'Nursing Times', host: 'nursingtimes.example' },
  { name: 'The BMJ', host: 'bmj.example' },
  { name: 'Pulse', host: 'pulse-today.example' },
  { name: 'The King’s Fund', host: 'kingsfund.example' },
  { name: 'Nuffield Trust', host: 'nuffieldtrust.example' },
  { name: 'The Independent', host: 'independent.example' },
  { name: 'Manchester Evening News', host: 'men.example' },
  { name: 'Yorkshire Post', host: 'yorkshirepost.example' },
  { name: 'Bristol Post', host: 'bristolpost.example' },
  { name: 'Eastern Daily Press', host: 'edp.example' },
  { name: 'The Northern Echo', host: 'northernecho.example' },
  { name: 'Health Foundation', host: 'health-foundation.example' },
];

const PLACES = ['Huddersfield', 'Shrewsbury', 'Bristol', 'Norwich', 'Darlington', 'Leeds', 'Stockport', 'Hastings', 'Carlisle', 'Plymouth', 'Lewisham', 'Kettering', 'Wakefield', 'Truro', 'Barnsley', 'Ipswich', 'Oldham', 'Worcester', 'Bolton', 'Grimsby'];

/** Headlines of the kind a health campaign keeps: {place} is filled in, tags follow. */
const HEADLINES: Array<{ title: string; summary: string; tags: string }> = [
  { title: 'A&E at {place} to be downgraded despite campaign', summary: 'The local integrated care board has voted to turn the **emergency department** into an urgent treatment centre, meaning the most seriously ill patients will travel further.', tags: 'a&e, downgrading' },
  { title: 'Maternity unit closure at {place} "put on hold" after public outcry', summary: 'Managers say the consultant-led unit will stay open while a review of midwife staffing takes place.', tags: 'maternity, closures' },
  { title: 'Waiting lists in {place} reach record high', summary: 'More than 60,000 people are waiting for planned treatment, new figures show, with hundreds waiting over a year.', tags: 'waiting lists' },
  { title: 'Nurses in {place} say wards are dangerously understaffed', summary: 'A survey by the Royal College of Nursing found most shifts were short of at least one registered nurse.', tags: 'staffing, nurses' },
  { title: '{place} GP surgery to close, leaving 8,000 patients to find a new practice', summary: 'The partners say they can no longer recruit doctors. Patients will be moved to practices up to five miles away.', tags: 'gp, closures' },
  { title: 'Private firm wins £200m contract for community services in {place}', summary: 'Campaigners say the **outsourcing** decision was taken behind closed doors and want the contract published in full.', tags: 'privatisation, contracts' },
  { title: 'Ambulance response times in {place} worst in the country', summary: 'Patients with heart attacks and strokes waited on average more than 50 minutes for an ambulance last winter.', tags: 'ambulances' },
  { title: 'Mental health beds cut in {place} as patients sent out of area', summary: 'Dozens of patients were sent hundreds of miles for a bed last year, costing the trust millions.', tags: 'mental health, beds' },
  { title: 'Hospital building plan for {place} delayed again', summary: 'The new hospital promised under the national programme will not be finished before 2032, the trust admits.', tags: 'new hospitals, buildings' },
  { title: 'Crumbling concrete found in {place} hospital roof', summary: 'Parts of the hospital have been closed after inspectors found reinforced autoclaved aerated concrete (RAAC) at risk of collapse.', tags: 'buildings, raac' },
  { title: 'Corridor care now "routine" at {place} hospital, staff warn', summary: 'Patients are being treated on trolleys in corridors for hours, according to staff who spoke to the paper.', tags: 'a&e, corridor care' },
  { title: 'Dentists in {place} stop taking NHS patients', summary: 'Not one practice in the area is accepting new adult NHS patients, a check of the NHS website found.', tags: 'dentistry' },
  { title: 'Junior doctors in {place} join national strike over pay', summary: 'Picket lines formed outside the hospital as resident doctors walked out for 48 hours.', tags: 'strikes, doctors, pay' },
  { title: 'Community hospital in {place} to lose its inpatient beds', summary: 'The consultation on the future of the community hospital closes next month; campaigners urge people to respond.', tags: 'community hospitals, consultations' },
  { title: 'Cancer patients in {place} waiting too long for first treatment', summary: 'Only six in ten patients started treatment within the 62-day target, well below the 85% standard.', tags: 'cancer, waiting lists' },
  { title: 'Campaigners hand in 20,000-signature petition to save {place} stroke unit', summary: 'The petition was handed to the council’s health scrutiny committee, which agreed to refer the plans to the Secretary of State.', tags: 'stroke, petitions' },
  { title: 'Council scrutiny committee refers {place} hospital changes to Health Secretary', summary: 'Councillors said the plans were not in the interests of local health services.', tags: 'scrutiny, consultations' },
  { title: 'Social care cuts leave {place} hospital beds blocked', summary: 'Hundreds of patients fit to leave hospital are stuck waiting for a care package at home.', tags: 'social care, delayed discharge' },
  { title: 'Physician associates used to fill doctor gaps in {place}, report finds', summary: 'The report raises questions about supervision and patient safety.', tags: 'staffing, physician associates' },
  { title: 'Children’s ward at {place} to close overnight', summary: 'Children needing an overnight stay will be taken to a hospital 30 miles away from next spring.', tags: 'children, closures' },
  { title: 'Walk-in centre in {place} saved after community campaign', summary: 'The integrated care board has dropped plans to close the centre after a consultation showed overwhelming opposition.', tags: 'victories, urgent care' },
  { title: 'PFI payments cost {place} trust £1m a week', summary: 'The trust will still be paying for its hospital, built under the private finance initiative, into the 2040s.', tags: 'pfi, finance' },
  { title: 'Agency staff bill soars at {place} trust', summary: 'The trust spent more than £30m on agency nurses and locum doctors in a year as vacancies went unfilled.', tags: 'staffing, finance' },
  { title: 'Patients in {place} face 12-hour waits for a bed', summary: 'More than 1,000 patients waited 12 hours or more from arrival in A&E last month.', tags: 'a&e, waiting times' },
  { title: 'Birth centre at {place} suspended because of midwife shortages', summary: 'Women planning to give birth at the midwife-led unit are being asked to go to the main hospital instead.', tags: 'maternity, staffing' },
];

const NATIONAL: Array<{ title: string; summary: string; tags: string; source: string }> = [
  { title: 'NHS England to be abolished, government announces', summary: 'Its work will move into the Department of Health and Social Care over two years.', tags: 'nhs structure', source: 'BBC News' },
  { title: 'Ten-year health plan promises shift "from hospital to community"', summary: 'Campaigners ask where the staff and the money will come from.', tags: 'nhs plan, community care', source: 'The Guardian' },
  { title: 'Public satisfaction with the NHS falls to lowest level on record', summary: 'The British Social Attitudes survey finds satisfaction at 21%, with waiting times the main reason.', tags: 'public opinion', source: 'The King’s Fund' },
  { title: 'Integrated care boards told to cut running costs by half', summary: 'ICBs must cut their management costs by 50%, with job losses expected across England.', tags: 'icbs, finance', source: 'Health Service Journal' },
  { title: 'Nurse vacancies in England top 30,000', summary: 'Official figures show one in ten nursing posts is empty.', tags: 'staffing, nurses', source: 'Nursing Times' },
  { title: 'How much of the NHS budget goes to private providers?', summary: 'An explainer on spending on independent sector providers, and how it has grown.', tags: 'privatisation, explainers', source: 'Nuffield Trust' },
  { title: 'GP numbers per patient fall for the fifth year running', summary: 'The number of fully qualified GPs per 100,000 people keeps falling.', tags: 'gp, staffing', source: 'Pulse' },
  { title: 'Doctors warn of "winter crisis" as flu cases rise', summary: 'Hospital leaders say the pressure is arriving earlier than usual.', tags: 'winter, a&e', source: 'The BMJ' },
];

const day = 86_400_000;

/** 200 news links over several years and sources: local stories from {place}s, and national ones. */
export function demoLinks(): Array<{ url: string; title: string; source: string; publishedOn: string; summary: string; tags: string[]; index: number }> {
  const links = [];
  const start = Date.UTC(2021, 0, 4);
  const end = Date.UTC(2026, 10, 20);
  for (let i = 0; i < 200; i++) {
    const national = i % 9 === 4 ? NATIONAL[Math.floor(i / 9) % NATIONAL.length]! : undefined;
    const local = HEADLINES[(i * 7) % HEADLINES.length]!;
    const place = PLACES[(i * 3 + Math.floor(i / HEADLINES.length)) % PLACES.length]!;
    const source = national ? SOURCES.find((s) => s.name === national.source)! : SOURCES[(i * 7 + Math.floor(i / 15)) % SOURCES.length]!;
    const title = national ? (Math.floor(i / 9) >= NATIONAL.length ? `${national.title} (update)` : national.title) : local.title.replace('{place}', place);
    const published = new Date(start + Math.floor(((end - start) / 200) * i) + (i % 5) * day);
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 70);
    links.push({
      url: `https://www.${source.host}/news/${published.getUTCFullYear()}/${String(published.getUTCMonth() + 1).padStart(2, '0')}/${slug}-${1000 + i}`,
      title,
      source: source.name,
      publishedOn: published.toISOString().slice(0, 10),
      summary: national ? national.summary : local.summary,
      tags: tagsFrom(national ? national.tags : local.tags),
      index: i,
    });
  }
  return links;
}

/** The demo's news links, some the coalition's own and some its groups', with regions where local. */
export async function loadLibraryDemo(q: Handle, groupIds: Record<string, number>): Promise<{ linkCount: number }> {
  const regions = [...(await regionNames(q)).keys()];
  const groups = Object.values(groupIds);
  let count = 0;
  for (const link of demoLinks()) {
    const local = !NATIONAL.some((n) => link.title.startsWith(n.title));
    const outcome = await addLink(
      q,
      null,
      {
        url: link.url,
        title: link.title,
        source: link.source,
        publishedOn: link.publishedOn,
        summary: link.summary,
        tags: link.tags,
        constituencyCodes: [],
        regionCodes: local && regions.length > 0 ? [regions[link.index % regions.length]!] : [],
        groupId: groups.length > 0 && link.index % 3 === 0 ? groups[link.index % groups.length]! : null,
      },
      { addedByName: 'Demo' },
    );
    if (outcome.ok) count++;
  }
  return { linkCount: count };
}
