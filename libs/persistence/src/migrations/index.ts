import { Foundation1763700000000 } from './1763700000000-foundation';

/** Every migration, oldest first. Never edit a committed migration: add a new one. */
export const MIGRATIONS = [Foundation1763700000000];
