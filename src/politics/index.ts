/**
 * What the politics capability offers the others: the only file another capability may import
 * (the lint rule chorus/capability-boundaries holds this). Everything else in the folder is its own.
 */
export { constituencyNames, listConstituencies, regionNames, regionsOfConstituencies } from './constituencies.ts';
export { hexLayout, type Hex, type HexLayoutName } from './hexes.ts';
export { lookupPostcode, normalisePostcode, onePostcodePerConstituency, resolvePostcodes, type PostcodePlace } from './postcodes.ts';
export { colourBins, HEX_FILLS, hexmapSize, hexmapSvg, type ColourBin, type HexGrid, type HexmapText } from './hexmap.tsx';
export { isPoliticsDemo } from './demo-label.ts';
export { DEMO_POSTCODES_TO_TRY } from './constituency-views.tsx';
export { findNhsOrganisations, getNhsOrganisation, listNhsOrganisations, type NhsOrganisation, type NhsOrganisationKind, type NhsOrganisationSearch } from './nhs-organisations.ts';
export { demoTargetSeats, type DemoTargetSeat } from './targets/demo.ts';
export { letterCountsByConstituency, mpResponsiveness, type LetterCounts, type MpResponsiveness } from './letters/responsiveness.ts';
