/**
 * A connection's secrets as every layer names them: the registry says which a system needs, its connector signs in
 * with them, and the store keeps them in Forge secret storage (store/credentials.ts), never anywhere else.
 */
import * as z from 'zod';

export const credentialSchema = z.object({
  password: z.string().min(1).max(1000).optional(),
  // A GitHub App's private key (PEM) is some 1,700 characters for 2048 bits, 3,300 for 4096.
  clientSecret: z.string().min(1).max(8000).optional(),
  token: z.string().min(1).max(1000).optional(),
  webhookSecret: z.string().min(16).max(200).optional(),
});
export type Credential = z.infer<typeof credentialSchema>;
