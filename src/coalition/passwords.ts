import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

// argon2id with OWASP's recommended minimums (19 MiB memory, 2 iterations).
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const passwordSchema = z
  .string({ message: 'Enter a password' })
  .min(12, { message: 'Password must be 12 characters or more' })
  .max(200, { message: 'Password must be 200 characters or fewer' });

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Spend the same time as a real check so timing does not reveal which accounts exist.
    await hash(password, options);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
