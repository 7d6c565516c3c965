/**
 * A made-up public profile per wallet, the same for a wallet every time (seeded by the wallet).
 * Real profiles come in a few kinds, all seen in captures: a chosen username with an
 * "Adjective-Noun" pseudonym, with or without an image; a never-named account whose name is its
 * checksummed address plus a creation time in ms; a wallet with no profile at all (every field
 * empty, as on some RTDS rows); and, rarely, a full profile with a bio and an optimized image.
 */
import { getAddress } from 'viem';
import { createRandom, type Random } from '../random.ts';

export interface Profile {
  name: string;
  pseudonym: string;
  bio: string;
  profileImage: string;
  profileImageOptimized: string;
}

export const PROFILE_KINDS = ['named', 'named-image', 'default', 'anonymous', 'full'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

/** How often each kind comes up, in percent. */
const KIND_WEIGHTS: Record<ProfileKind, number> = {
  named: 35,
  'named-image': 20,
  default: 25,
  anonymous: 10,
  full: 10,
};

const ADJECTIVES = [
  'Mean',
  'Fresh',
  'Euphoric',
  'Unwieldy',
  'Forked',
  'Cute',
  'Scary',
  'Ashamed',
  'Quiet',
  'Brisk',
  'Lucky',
  'Dapper',
  'Hollow',
  'Amber',
  'Nimble',
  'Wry',
];
const NOUNS = [
  'Record',
  'Availability',
  'Prizefight',
  'Stick',
  'Acetate',
  'Pricing',
  'Congress',
  'Papaya',
  'Billboard',
  'Classic',
  'Lantern',
  'Harbor',
  'Ledger',
  'Compass',
  'Meadow',
  'Orbit',
];
const HANDLES = ['whale', 'degen', 'oracle', 'trader', 'punter', 'quant', 'sharp', 'momo', 'kiwi', 'atlas'];
const BIOS = [
  'Probabilities, not predictions.',
  'Full-time forecaster.',
  'Buying fear, selling hope.',
  'Sports and politics. Not financial advice.',
];
const UPLOADS = 'https://polymarket-upload.s3.us-east-2.amazonaws.com';

function pickKind(random: Random): ProfileKind {
  let roll = random.int(1, 100);
  for (const kind of PROFILE_KINDS) {
    roll -= KIND_WEIGHTS[kind];
    if (roll <= 0) return kind;
  }
  return 'named';
}

function pseudonym(random: Random): string {
  const words = random.chance(0.3)
    ? [random.pick(ADJECTIVES), random.pick(ADJECTIVES), random.pick(NOUNS)]
    : [random.pick(ADJECTIVES), random.pick(NOUNS)];
  return words.join('-');
}

function username(random: Random): string {
  const handle = random.pick(HANDLES);
  return random.chance(0.6) ? `${handle}${random.int(1, 999)}` : handle[0]!.toUpperCase() + handle.slice(1);
}

function uuid(random: Random): string {
  const h = random.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface ProfileOptions {
  seed: number;
  /** Reference time for invented account-creation times, epoch ms. */
  epochMs: number;
}

/** The kind and fields of `wallet`'s profile; deterministic in (seed, wallet in any case). */
export function profileFor(wallet: string, options: ProfileOptions): Profile & { kind: ProfileKind } {
  const random = createRandom(options.seed).fork(`profile:${wallet.toLowerCase()}`);
  const kind = pickKind(random);
  const empty = { name: '', pseudonym: '', bio: '', profileImage: '', profileImageOptimized: '' };
  switch (kind) {
    case 'anonymous':
      return { kind, ...empty };
    case 'default': {
      // Polymarket's placeholder name for an account that never chose one.
      const createdMs = options.epochMs - random.int(1, 400) * 86_400_000 - random.int(0, 86_399_999);
      return { kind, ...empty, name: `${getAddress(wallet)}-${createdMs}`, pseudonym: pseudonym(random) };
    }
    case 'named':
      return { kind, ...empty, name: username(random), pseudonym: pseudonym(random) };
    case 'named-image':
      return {
        kind,
        ...empty,
        name: username(random),
        pseudonym: pseudonym(random),
        profileImage: `${UPLOADS}/profile-image-${random.decimalDigits(7)}-${uuid(random)}.png`,
      };
    case 'full': {
      const image = `profile-image-${random.decimalDigits(7)}-${uuid(random)}.png`;
      return {
        kind,
        name: username(random),
        pseudonym: pseudonym(random),
        bio: random.pick(BIOS),
        profileImage: `${UPLOADS}/${image}`,
        profileImageOptimized: `${UPLOADS}/optimized/${image}`,
      };
    }
  }
}
