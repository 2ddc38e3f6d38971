/**
 * How a consent was given or withdrawn, in words for people: the stored method ('form:join',
 * 'petition:12', 'api:<key id>', 'import:<file>') is for machines. `petitionName` names a
 * petition by its id where the page knows it.
 */
export function consentMethodLabel(method: string, source: string | null, petitionName: (id: number) => string | undefined = () => undefined): string {
  const [kind, rest = ''] = splitOnce(method);
  switch (kind) {
    case 'form':
      return rest === 'join' ? 'The join form' : rest === 'group-subscribe' ? 'A group’s sign-up form' : rest === 'embed' ? 'A sign-up form on a group’s own website' : 'A sign-up form';
    case 'petition': {
      const name = /^\d+$/.test(rest) ? petitionName(Number(rest)) : undefined;
      return name ? `Signing the petition “${name}”` : 'Signing a petition';
    }
    case 'preferences':
      return rest === 'withdraw-all' ? 'Unsubscribed from everything on the preferences page' : 'The email preferences page';
    case 'unsubscribe-link':
      return 'The unsubscribe link in an email';
    case 'import':
      return rest ? `Imported from the file “${rest}”` : 'Imported from a file';
    case 'api':
      return source ? `Sent through the API by “${source}”` : 'Sent through the API';
    default:
      return source ? `${method} (${source})` : method;
  }
}

function splitOnce(method: string): [string, string?] {
  const at = method.indexOf(':');
  return at < 0 ? [method] : [method.slice(0, at), method.slice(at + 1)];
}
