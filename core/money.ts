/** An amount as replies, summaries and the console show it: two decimals and the currency ("4.00 USD"). */
export function formatMoney(amountCents: number, currency?: string): string {
  const amount = (amountCents / 100).toFixed(2);
  return currency ? `${amount} ${currency}` : amount;
}
