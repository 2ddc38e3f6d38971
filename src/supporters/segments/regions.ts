/** ONS regions of England and the three other nations: what a "region" condition offers. */
export const regions: Array<{ code: string; name: string }> = [
  { code: 'E12000001', name: 'North East' },
  { code: 'E12000002', name: 'North West' },
  { code: 'E12000003', name: 'Yorkshire and The Humber' },
  { code: 'E12000004', name: 'East Midlands' },
  { code: 'E12000005', name: 'West Midlands' },
  { code: 'E12000006', name: 'East of England' },
  { code: 'E12000007', name: 'London' },
  { code: 'E12000008', name: 'South East' },
  { code: 'E12000009', name: 'South West' },
  { code: 'W92000004', name: 'Wales' },
  { code: 'S92000003', name: 'Scotland' },
  { code: 'N92000002', name: 'Northern Ireland' },
];
