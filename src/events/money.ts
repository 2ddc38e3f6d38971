/** A price as people read it: "Free", "£10", "£5.50". */
export function formatPrice(pence: number): string {
  if (pence === 0) return 'Free';
  return pence % 100 === 0 ? `£${(pence / 100).toLocaleString('en-GB')}` : `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A price as schema.org and feeds write it: "10.00". */
export const decimalPrice = (pence: number) => (pence / 100).toFixed(2);
